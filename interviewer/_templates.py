"""The Jinja2 environment for the report files in ``templates/`` (scorecard, history).

One configuration for every file report: HTML is escaped, Markdown is not, and
block tags leave no stray blank lines. Jinja2 is imported on first use only.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment


@cache
def report_templates() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("interviewer", "templates"),
                       autoescape=select_autoescape(["html"]), trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True)
