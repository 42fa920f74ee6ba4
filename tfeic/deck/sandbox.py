"""The Jinja2 environment deck templates run in: only plain data, only bounded work.

Jinja2's ``SandboxedEnvironment`` stops attribute walks (``__class__``, ``__mro__``) but calls any
public method and lets an expression allocate or loop without bound (``'a' * 10**9``,
``'{:>999999999}'.format(1)``, nested ``range(99999)`` loops). A deck folder is untrusted, so this
environment adds, for each template rendered (``render``):

- calls: only an allowlist (``STR_METHODS``, ``SEQUENCE_METHODS``, ``MAPPING_METHODS``, the
  ``@template_method`` methods of ``tfeic.core.plain`` records, macros, ``loop.cycle``/``loop.changed``,
  and the globals ``range``, ``dict``, ``namespace``); attributes of data are its keys first;
- sizes: every value an operator, filter, call or literal makes weighs at most ``MAX_VALUE``
  (characters of text, one per item of a container, nested and shared items counted each time);
  integers at most ``MAX_INT_BITS`` bits; field widths and precisions in ``%``, ``format`` and
  ``center``-like calls at most ``MAX_WIDTH``; everything the template prints, constants included,
  at most ``MAX_OUTPUT`` characters in all;
- work: every loop iteration and every call is a step; at most ``MAX_STEPS`` steps and
  ``MAX_SECONDS`` of wall clock.

The bounds are enforced by rewriting the parsed template before it is compiled (``_Guards``): loop
iterables, ``~`` concatenations, literals and every printed piece go through guard functions on the
environment; ``+``, ``*``, ``**`` and ``%`` go through ``call_binop``; filters are an allowlist of
wrapped Jinja2 filters. A template over a bound raises ``TemplateLimitError`` (a Jinja2
``SecurityError``), which the caller reports as one line at the template's deck position.
"""

from __future__ import annotations

import contextvars
import inspect
import re
import string
import time
import types
import warnings
from collections.abc import Mapping, MappingView
from functools import update_wrapper
from typing import Any, Callable, Iterable

from jinja2 import StrictUndefined, nodes
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import FilterArgumentError, SecurityError
from jinja2.filters import FILTERS, make_attrgetter
from jinja2.runtime import LoopContext, Macro, Undefined
from jinja2.sandbox import SandboxedEnvironment, SandboxedFormatter, safe_range
from jinja2.utils import Namespace, _PassArg
from jinja2.visitor import NodeTransformer

from ..core.plain import Record, TemplateMethod, record_of

MAX_VALUE = 1_000_000
MAX_OUTPUT = 1_000_000
MAX_INT_BITS = 16_384  # about 4900 decimal digits: Python refuses to print ints over 4300 digits anyway
MAX_WIDTH = 1000
MAX_STEPS = 200_000
MAX_SECONDS = 2.0

STR_METHODS = frozenset(
    "upper lower title capitalize casefold swapcase strip lstrip rstrip split rsplit splitlines partition "
    "rpartition startswith endswith find rfind index rindex count isalnum isalpha isdigit isdecimal "
    "isnumeric isspace islower isupper istitle removeprefix removesuffix "
    "join replace center ljust rjust zfill format".split())
SEQUENCE_METHODS = frozenset({"index", "count"})
MAPPING_METHODS = frozenset({"items", "keys", "values", "get"})
#: filters that only look at their argument (no copy, no text of it): not weighed first
LOOKING_FILTERS = frozenset({"abs", "count", "d", "default", "first", "float", "int", "last", "length", "round"})
#: allowlisted Jinja2 filters -> their parameters that are widths (bounded by MAX_WIDTH)
FILTER_WIDTHS: dict[str, tuple[str, ...]] = {
    **{name: () for name in (
        "abs capitalize count d default dictsort e escape filesizeformat first float groupby int items "
        "last length list lower map max min reject rejectattr reverse select selectattr sort string title "
        "trim truncate unique upper wordcount").split()},
    "batch": ("linecount",), "center": ("width",), "round": ("precision",), "slice": ("slices",),
}


class TemplateLimitError(SecurityError):
    """A template went over one of the bounds above."""


class _Budget:
    """What one rendering has spent so far."""

    def __init__(self) -> None:
        self.steps = 0
        self.output = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TemplateLimitError(f"more than {MAX_STEPS} loop iterations and calls")
        if time.monotonic() > self.deadline:
            raise TemplateLimitError(f"rendering took more than {MAX_SECONDS:g} s")


_BUDGET: contextvars.ContextVar[_Budget] = contextvars.ContextVar("tfeic_template_budget")


def _step() -> None:
    budget = _BUDGET.get(None)
    if budget is not None:  # None while Jinja2 folds constants at compile time (no loop, no call)
        budget.step()


def weigh(value: Any, limit: int = MAX_VALUE) -> int:
    """An estimate of ``value``'s size when printed; counting stops once it passes ``limit``."""
    total, stack = 0, [value]
    while stack and total <= limit:
        v = stack.pop()
        if isinstance(v, str):
            total += len(v)
        elif isinstance(v, int):
            total += 1 + v.bit_length() // 3
        elif isinstance(v, range):
            total += len(v)
        elif isinstance(v, (Mapping, Namespace)):
            items = v.items() if isinstance(v, Mapping) else object.__getattribute__(v, "_Namespace__attrs").items()
            total += 1 + 2 * len(items)
            if total <= limit:
                stack.extend(x for kv in items for x in kv)
        elif isinstance(v, (list, tuple, set, frozenset, MappingView)):
            total += 1 + len(v)
            if total <= limit:
                stack.extend(v)  # type: ignore[arg-type]  # typeshed's MappingView lacks __iter__; its subclasses have it
        else:
            total += 8
    return total


def bounded(value: Any, what: str = "a value") -> Any:
    if weigh(value) > MAX_VALUE:
        raise TemplateLimitError(f"{what} larger than {MAX_VALUE} characters or items")
    return value


def _width(width: Any) -> None:
    if isinstance(width, int) and abs(width) > MAX_WIDTH:
        raise TemplateLimitError(f"a width or precision of {width}, more than {MAX_WIDTH}")


def _int(value: Any) -> Any:
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise TemplateLimitError(f"an integer of more than {MAX_INT_BITS} bits")
    return value


_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d*))?")
_DIGITS = re.compile(r"\d+")


def _check_percent(fmt: str) -> None:
    for width, precision in _PERCENT.findall(fmt):
        if "*" in (width, precision):
            raise TemplateLimitError("'*' widths are not allowed in % formats")
        for n in (width, precision):
            _width(int(n) if n else 0)


def _check_format(fmt: str) -> None:
    for _, _, spec, _ in string.Formatter().parse(fmt):
        if spec and "{" in spec:
            raise TemplateLimitError("nested fields in a format spec are not allowed")
        for n in _DIGITS.findall(spec or ""):
            _width(int(n))


def percent(fmt: Any, args: Any) -> Any:
    """``fmt % args`` with bounded widths (``'%0999999999d' % 1`` is refused before it allocates)."""
    if isinstance(fmt, str):
        _check_percent(fmt)
        bounded(args, "the arguments of %")
    return fmt % args


def join(sep: str, items: Iterable[Any]) -> str:
    """``sep.join(str(x) for x in items)``, refused as soon as the result would pass MAX_VALUE."""
    parts, total = [], 0
    for item in items:
        _step()
        part = item if isinstance(item, str) else str(bounded(item))
        total += len(part) + len(sep)
        if total > MAX_VALUE + len(sep):
            raise TemplateLimitError(f"a joined text larger than {MAX_VALUE} characters")
        parts.append(part)
    return sep.join(parts)


def replace(s: str, old: str, new: str, count: int | None = -1) -> str:
    """``s.replace(old, new, count)`` refused before it allocates more than MAX_VALUE characters."""
    s, old, new = str(s), str(old), str(new)
    count = -1 if count is None else count
    hits = s.count(old) if count < 0 else min(count, s.count(old))
    if len(s) + hits * (len(new) - len(old)) > MAX_VALUE:
        raise TemplateLimitError(f"a replaced text larger than {MAX_VALUE} characters")
    return s.replace(old, new, count)


def _padded(method: Callable[..., str]) -> Callable[..., str]:
    """``str.center`` / ``ljust`` / ``rjust`` / ``zfill`` with a bounded width."""

    def pad(width: Any, *fill: Any) -> str:
        _width(width)
        return method(width, *fill)

    return pad


class _Bounded:
    """A function templates may call (see ``BoundedEnvironment.call``)."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable):
        self.fn = fn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<function {getattr(self.fn, '__name__', 'method')}>"


def _materialized(value: Any) -> Any:
    """A generator a filter returned, as a list (one step per item), so its size can be checked."""
    if not isinstance(value, types.GeneratorType):
        return value
    out = []
    for item in value:
        _step()
        out.append(item)
        if len(out) > MAX_VALUE:
            raise TemplateLimitError(f"a filter result of more than {MAX_VALUE} items")
    return out


def _bounded_filter(name: str, fn: Callable) -> Callable:
    """``fn`` (a Jinja2 filter) with its widths bounded, its inputs weighed, its result bounded."""
    widths = FILTER_WIDTHS.get(name, ())
    signature = inspect.signature(fn)
    look_only = name in LOOKING_FILTERS
    first = 0 if _PassArg.from_obj(fn) is None else 1  # a context (a Mapping of everything) is not an input

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if widths:
            given = signature.bind_partial(*args, **kwargs).arguments
            for width in widths:
                _width(given.get(width))
        if not look_only:
            for arg in (*args[first:], *kwargs.values()):
                bounded(arg, f"the input of the {name} filter")
        try:
            result = fn(*args, **kwargs)
        except AssertionError as e:  # how some Jinja2 filters check their arguments (truncate's length)
            raise FilterArgumentError(f"{name}: {e}") from None
        return bounded(_materialized(result), f"the result of the {name} filter")

    return update_wrapper(wrapper, fn)  # keeps jinja_pass_arg: the filter still gets its context


def _sum(environment, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
    """``sum``, of numbers only (summing lists would be quadratic)."""
    if isinstance(start, bool) or not isinstance(start, (int, float)):
        raise TemplateLimitError("sum() starts from a number")
    if attribute is not None:
        iterable = map(make_attrgetter(environment, attribute), iterable)
    total = start
    for x in iterable:
        _step()
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise TypeError(f"sum() adds numbers, not {type(x).__name__}")
        total = _int(total + x)
    return total


def _join_filter(eval_ctx, value: Any, d: str = "", attribute: Any = None) -> str:
    if attribute is not None:
        value = map(make_attrgetter(eval_ctx.environment, attribute), value)
    return join(str(d), value)


def _replace_filter(s: Any, old: Any, new: Any, count: int | None = None) -> str:
    return replace(s, old, new, count)


def _format_filter(value: Any, *args: Any, **kwargs: Any) -> str:
    if args and kwargs:
        raise TypeError("format takes positional or keyword arguments, not both")
    formatted: str = percent(str(value), kwargs or args)  # a str format gives a str
    return formatted


def _filters() -> dict[str, Callable]:
    from jinja2.utils import pass_environment, pass_eval_context

    out = {name: _bounded_filter(name, FILTERS[name]) for name in FILTER_WIDTHS}
    out.update(sum=pass_environment(_sum), join=pass_eval_context(_join_filter),
               replace=_replace_filter, format=_format_filter)
    return out


class _Guards(NodeTransformer):
    """Rewrites a parsed template so that loops, ``~``, literals and output are checked at run time."""

    def visit_For(self, node: nodes.For) -> nodes.For:
        self.generic_visit(node)
        assert isinstance(node.iter, nodes.Expr)  # the parser gives a loop an expression to iterate
        node.iter = _guard("guard_iter", node.iter)
        return node

    def visit_Output(self, node: nodes.Output) -> nodes.Output:
        self.generic_visit(node)
        node.nodes = [_guard("guard_emit", nodes.Const(n.data, lineno=n.lineno) if isinstance(n, nodes.TemplateData) else n)
                      for n in node.nodes]
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Expr:
        self.generic_visit(node)
        return _guard("guard_concat", *node.nodes)

    def _literal(self, node: nodes.Expr) -> nodes.Expr:
        self.generic_visit(node)
        return _guard("guard_value", node) if getattr(node, "ctx", "load") == "load" else node

    visit_List = visit_Tuple = visit_Dict = _literal


def _guard(name: str, *args: nodes.Expr) -> nodes.Call:
    return nodes.Call(nodes.EnvironmentAttribute(name), list(args), [], None, None, lineno=args[0].lineno)


class _GuardedCodeGenerator(CodeGenerator):
    def visit_Template(self, node: nodes.Template, frame=None) -> None:
        super().visit_Template(_Guards().visit(node), frame)


class BoundedEnvironment(SandboxedEnvironment):
    """Jinja2's sandbox with calls allowlisted and every size and step bounded (module docstring)."""

    code_generator_class = _GuardedCodeGenerator
    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
        self.globals = {"range": safe_range, "dict": dict, "namespace": Namespace}
        self.filters = _filters()
        self.guard_iter = _Bounded(self._iterate)
        self.guard_emit = _Bounded(self._emit)
        self.guard_concat = _Bounded(lambda *parts: join("", parts))
        self.guard_value = _Bounded(bounded)

    def render(self, source: str, context: Mapping[str, Any]) -> str:
        """Compile and render one template under a fresh budget, over ``context`` as plain data."""
        token = _BUDGET.set(_Budget())
        try:
            with warnings.catch_warnings():  # Python warns of code like ``1[1:]`` (a slice of a constant) to stderr
                warnings.simplefilter("ignore", SyntaxWarning)
                template = self.from_string(source)
            return template.render(record_of(context))
        finally:
            _BUDGET.reset(token)

    @staticmethod
    def _iterate(iterable: Any) -> Iterable[Any]:
        for item in iterable:
            _step()
            yield item

    @staticmethod
    def _emit(value: Any) -> str:
        text = value if isinstance(value, str) else str(bounded(value, "a printed value"))
        budget = _BUDGET.get()
        budget.output += len(text)
        if budget.output > MAX_OUTPUT:
            raise TemplateLimitError(f"the template prints more than {MAX_OUTPUT} characters")
        return text

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "%":
            return _int(percent(left, right))
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            if left.bit_length() * right > MAX_INT_BITS:
                raise TemplateLimitError(f"an integer of more than {MAX_INT_BITS} bits")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and weigh(seq) * max(n, 0) > MAX_VALUE:
                    raise TemplateLimitError(f"a repeated value larger than {MAX_VALUE} characters or items")
        if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            if weigh(left) + weigh(right) > MAX_VALUE:
                raise TemplateLimitError(f"a sum larger than {MAX_VALUE} characters or items")
        return _int(self.binop_table[operator](left, right))

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Mapping):
            if attribute in obj:
                return obj[attribute]
            if attribute in MAPPING_METHODS:
                return _Bounded(getattr(obj, attribute))
        if isinstance(obj, str):
            return self._str_method(obj, attribute)
        if isinstance(obj, (list, tuple)) and attribute in SEQUENCE_METHODS:
            return _Bounded(getattr(obj, attribute))
        if isinstance(obj, (LoopContext, Namespace, Macro, Undefined)):
            return super().getattr(obj, attribute)
        return self._missing(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, (str, list, tuple, range, Mapping)):
            try:
                return obj[argument]
            except (TypeError, LookupError):
                pass
            if isinstance(argument, str):
                return self.getattr(obj, argument)
            return self.undefined(obj=obj, name=argument)
        if isinstance(argument, str):
            return self.getattr(obj, argument)
        return super().getitem(obj, argument)

    def _str_method(self, s: str, name: str) -> Any:
        if name not in STR_METHODS:
            return self._missing(s, name)
        if name == "join":
            return _Bounded(lambda items: join(s, items))
        if name == "replace":
            return _Bounded(lambda old, new, count=-1: replace(s, old, new, count))
        if name == "format":
            return _Bounded(lambda *args, **kwargs: self._format(s, args, kwargs))
        if name in ("center", "ljust", "rjust", "zfill"):
            return _Bounded(_padded(getattr(s, name)))
        return _Bounded(getattr(s, name))

    def _format(self, fmt: str, args: tuple, kwargs: dict) -> str:
        _check_format(fmt)
        bounded((args, kwargs), "the arguments of format")
        return SandboxedFormatter(self).vformat(fmt, args, kwargs)

    def _missing(self, obj: Any, attribute: str) -> Undefined:
        if isinstance(obj, Record):
            names = ", ".join(list(obj)[:12]) + (", ..." if len(obj) > 12 else "")
            return self.undefined(f"no {attribute!r} in this value (it has: {names})", obj=obj, name=attribute)
        if hasattr(obj, attribute):
            return self.unsafe_undefined(obj, attribute)
        return self.undefined(obj=obj, name=attribute)

    def wrap_str_format(self, value: Any) -> None:
        return None  # str.format is reached only through _str_method (bounded)

    def call(__self, __context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja2's signature)
        if isinstance(__obj, Undefined):
            return __obj()  # raises the undefined's own error ("... has no attribute 'tofile'")
        if not __self._callable(__obj):
            raise SecurityError(f"{__obj!r} is not callable in a template")
        _step()
        result = __context.call(__obj, *args, **kwargs)
        return bounded(_int(result), "a call's result")

    @staticmethod
    def _callable(obj: Any) -> bool:
        if isinstance(obj, (_Bounded, TemplateMethod, Macro, LoopContext)) or any(obj is f for f in (safe_range, dict, Namespace)):
            return True
        owner = getattr(obj, "__self__", None)  # loop.cycle / loop.changed
        return isinstance(owner, LoopContext) and getattr(obj, "__name__", "") in ("cycle", "changed")
