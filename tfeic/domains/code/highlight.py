"""Syntax highlighting with Pygments, as plain runs: (text, class) per token, lines kept.

Pygments' lexers only read the text (regular expressions over it; nothing is run, imported or
looked up), so untrusted code is safe to highlight. Each token type is reduced to one of a few
classes that a theme colours (``CLASSES``); the slide then carries the colours as native text runs,
so the code stays editable text in PowerPoint. The languages are those decks show: commands,
shell sessions and configuration.
"""

from __future__ import annotations

from typing import Any

from pygments.lexers import get_lexer_by_name
from pygments.token import Comment, Generic, Keyword, Literal, Name, Number, Operator, String

#: language option -> Pygments lexer alias (``pygments.lexers.get_lexer_by_name``)
LANGUAGES = {
    "bash": "bash",  # a script or command lines
    "console": "console",  # a shell session: "$ " prompts, commands and their output
    "yaml": "yaml",
    "json": "json",
    "python": "python",
    "toml": "toml",
    "ini": "ini",
    "text": "text",  # no highlighting
}

#: class -> the Pygments token types it covers, tried in this order (a token type's first match wins)
CLASSES: tuple[tuple[str, tuple[Any, ...]], ...] = (
    ("comment", (Comment, Generic.Prompt, Generic.Output)),
    ("keyword", (Keyword, Name.Builtin, Operator.Word)),
    ("string", (String, Literal.Scalar)),  # YAML's plain values are scalars
    ("number", (Number, Name.Variable, Name.Constant)),
    ("name", (Name.Function, Name.Class, Name.Tag, Name.Attribute, Name.Decorator, Name.Namespace)),
)

Run = tuple[str, str]  # (text, class; "" for plain text)

TAB_SIZE = 4


def classify(token: Any) -> str:
    """The class of a Pygments token type ("" when no class covers it)."""
    return next((name for name, types in CLASSES if any(token in t for t in types)), "")


def highlight(code: str, language: str) -> list[list[Run]]:
    """``code`` as lines of runs (adjacent tokens of one class merged); tabs become spaces."""
    lexer = get_lexer_by_name(LANGUAGES[language], stripnl=False, ensurenl=False, tabsize=TAB_SIZE)
    lines: list[list[Run]] = [[]]
    for token, value in lexer.get_tokens(code.expandtabs(TAB_SIZE)):
        kind = classify(token)
        for i, part in enumerate(value.split("\n")):
            if i:
                lines.append([])
            if not part:
                continue
            line = lines[-1]
            if line and line[-1][1] == kind:
                line[-1] = (line[-1][0] + part, kind)
            else:
                line.append((part, kind))
    while len(lines) > 1 and not lines[-1]:  # a final newline ends the last line, it opens none
        lines.pop()
    return lines
