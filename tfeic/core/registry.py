"""Name -> implementation registries for sources and directives.

Built-ins register themselves with ``@REGISTRY.register``; third-party packages arrive through the
entry-point groups ``tfeic.sources`` and ``tfeic.directives`` (the entry point names the class).
Registries are the only global state in tfeic.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib
import os
import pkgutil
import re
from typing import Any, Generic, Iterator, Protocol, TypeVar

T = TypeVar("T")
_MODULE_NAME = re.compile(r"tfeic(\.[A-Za-z_][A-Za-z0-9_]*)+")
INDEX_NAMESPACE = "registry-index"


class IndexStore(Protocol):
    """Where a registry keeps its index: the build cache (``tfeic.core.cache.Cache``)."""

    def get(self, namespace: str, key: str, default: Any = None) -> Any: ...

    def put(self, namespace: str, key: str, value: Any) -> None: ...


class Registry(Generic[T]):
    def __init__(self, group: str, what: str):
        self.group = group
        self.what = what
        self._items: dict[str, T] = {}
        self._builtins_module: str | None = None
        self._builtins_place: tuple[str, str] | None = None
        self._builtins_loaded = False
        self._plugins_loaded = False
        self._index: dict[str, str] | None = None
        self._index_store: tuple[IndexStore, str] | None = None

    def builtins(self, module: str, package: str, part: str) -> None:
        """Name the module whose import registers the built-ins (imported lazily, once): it imports
        :func:`builtin_modules` of ``package`` and ``part``, whose sources give the index a build
        without the cache's starts from (:func:`source_index`)."""
        self._builtins_module = module
        self._builtins_place = (package, part)

    def register(self, cls):
        """Class decorator: register an instance of ``cls`` under ``cls.name``."""
        self._items[cls.name] = cls()
        return cls

    def index_with(self, store: IndexStore, version: str) -> None:
        """Look built-ins up through an index (name -> the module that registers it) kept in ``store``
        under the code ``version``, so that ``get`` imports only the modules of the names a deck uses
        instead of every directive or source module with its dependencies (~0.1-0.2 s of a one-slide
        edit). The index is written after the first full import of the built-ins; a name it does not
        hold (an unknown kind, a plugin) still imports everything, as without it."""
        self._index_store = (store, version)
        index = store.get(INDEX_NAMESPACE, self._index_key(version))
        if isinstance(index, dict) and all(isinstance(n, str) and isinstance(m, str) and _MODULE_NAME.fullmatch(m)
                                           for n, m in index.items()):
            self._index = index

    def _index_key(self, version: str) -> str:
        return hashlib.sha256(f"{version}\n{self.group}\n{self._builtins_module}".encode()).hexdigest()

    def _load_builtins(self) -> None:
        if not self._builtins_loaded:
            self._builtins_loaded = True
            if self._builtins_module:
                __import__(self._builtins_module)
            if self._index_store and self._index is None:
                store, version = self._index_store
                self._index = {name: type(item).__module__ for name, item in self._items.items()}
                store.put(INDEX_NAMESPACE, self._index_key(version), self._index)

    def _load_indexed(self, name: str) -> None:
        """Import the one module the index names for ``name`` (nothing when it names none). Without
        an index from the cache (``--no-cache``, a first build) the sources give one."""
        if self._index is None and self._builtins_place:
            self._index = source_index(*self._builtins_place)
        module = (self._index or {}).get(name)
        if module is not None and not self._builtins_loaded:
            importlib.import_module(module)

    def _load(self) -> None:
        """Built-ins, then plugins. Plugins are looked up only when a name is not a built-in or the
        whole registry is listed: ``importlib.metadata`` and its scan of every installed
        distribution cost ~20 ms, a fifth of a no-op build, and a deck of built-ins never needs them."""
        self._load_builtins()
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        from importlib import metadata

        for ep in sorted(metadata.entry_points(group=self.group), key=lambda e: e.name):
            if ep.name in self._items:
                continue  # built-ins win; a plugin cannot silently replace one
            cls = ep.load()
            obj = cls()
            if getattr(obj, "name", None) != ep.name:
                obj.name = ep.name
            self._items[ep.name] = obj

    def get(self, name: str) -> T | None:
        if name not in self._items:
            self._load_indexed(name)
        if name not in self._items:
            self._load_builtins()
        if name not in self._items:
            self._load()
        return self._items.get(name)

    def known(self, name: str) -> T:
        """The item ``name``, which validation has already found (KeyError, a bug, if it is not)."""
        item = self.get(name)
        if item is None:
            raise KeyError(name)
        return item

    def names(self) -> list[str]:
        self._load()
        return sorted(self._items)

    def __iter__(self) -> Iterator[T]:
        self._load()
        return iter(self._items[n] for n in sorted(self._items))

    def suggest(self, name: str) -> str | None:
        """The closest registered name, for "did you mean" hints."""
        return suggest(name, self.names())


def suggest(name: str, choices: list[str]) -> str | None:
    """Closest match by edit similarity, also catching abbreviations such as 'hexdmp' -> 'kv_hexdump'."""
    best, best_score = None, 0.0
    for choice in choices:
        whole = difflib.SequenceMatcher(None, name, choice).ratio()
        tail = difflib.SequenceMatcher(None, name, choice.split("_")[-1]).ratio()
        score = max(whole, tail - 0.01)  # on a tie, a whole-name match beats a last-part match
        if score > best_score:
            best, best_score = choice, score
    return best if best_score >= 0.6 else None


def builtin_modules(package: str, part: str) -> list[str]:
    """The modules that hold the built-ins of one stage: every public module of the stage's own
    ``package`` (the generic ones: ``tfeic.directives.title``...) and of each domain's ``part``
    subpackage (``tfeic.domains.kv.directives.kv_hexdump``...), in name order.

    A domain registers its sources, directives and commands by holding them, as a Sphinx domain
    does: a new one is a module in ``tfeic/domains/<domain>/<part>/``, nothing else is edited. The
    stage packages sit below the domains, so they name these modules by string and never import a
    domain statically."""
    return [module for module, _ in _builtin_sources(package, part)]


def _builtin_sources(package: str, part: str) -> list[tuple[str, str]]:
    """(module, source file) of each module :func:`builtin_modules` names; found by listing folders,
    so no domain package is imported."""
    from .. import domains

    def public(name: str, folders: list[str]) -> list[tuple[str, str]]:
        found = [(f"{name}.{m.name}", os.path.join(folder, m.name, "__init__.py") if m.ispkg else
                  os.path.join(folder, f"{m.name}.py"))
                 for folder in folders for m in pkgutil.iter_modules([folder])
                 if not m.name.startswith("_") and m.name != "builtin"]
        return sorted(found)

    found = public(package, list(importlib.import_module(package).__path__))
    root = list(domains.__path__)[0]
    for domain in sorted(m.name for m in pkgutil.iter_modules([root]) if m.ispkg):
        folder = os.path.join(root, domain, part)
        if os.path.isfile(os.path.join(folder, "__init__.py")):
            found += public(f"{domains.__name__}.{domain}.{part}", [folder])
    return found


_CLASS_NAME = re.compile(r'^[ \t]+name(?:: str)? = "([^"\\\n]+)"[ \t]*(?:#.*)?$', re.MULTILINE)


def source_index(package: str, part: str) -> dict[str, str]:
    """name -> module for the built-ins of ``package`` and ``part``, read from their sources without
    importing them (a few ms; importing them all costs ~0.1-0.2 s): each class attribute written
    ``name = "..."`` in a module that registers something. A name found in two modules is left out.
    A wrong entry only costs time, never a wrong result: the registry imports the module it names,
    and when that does not register the name, imports every built-in as it would without an index."""
    found: dict[str, str] = {}
    ambiguous: set[str] = set()
    for module, path in _builtin_sources(package, part):
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError):
            continue
        if ".register" not in text:
            continue
        for name in _CLASS_NAME.findall(text):
            if found.setdefault(name, module) != module:
                ambiguous.add(name)
    return {name: module for name, module in found.items() if name not in ambiguous}


def import_builtins(package: str, part: str) -> None:
    """Import every module :func:`builtin_modules` names, so that each built-in registers itself."""
    for name in builtin_modules(package, part):
        importlib.import_module(name)
