"""A workflow's table drawn as a Mermaid ``stateDiagram-v2`` (docs/architecture.md shows the case table's; a
test proves the page's drawing is the table's, so they cannot drift).

Each row is an arrow ``source --> target: action (roles)``, with ``needs …`` for the input it takes and
``guarded`` when a guard may refuse it; the initial state comes from ``[*]`` and every state the table leaves
no way out of goes to ``[*]``. Names are the code's (states and actions), as in docs/glossary.md."""

from __future__ import annotations

import re

from .tables import Transition, Workflow

DOC_BLOCK = re.compile(r"<!-- workflow (?P<path>[\w.]+) -->\n```mermaid\n(?P<diagram>.*?)```", re.S)


def arrow_label(t: Transition) -> str:
    label = f"{t.action} ({', '.join(sorted(t.roles))})"
    if t.needs:
        label += f" needs {' and '.join(t.needs)}"
    if t.guard is not None:
        label += ", guarded" if t.needs else " guarded"
    return label


def mermaid(workflow: Workflow) -> str:
    """The table as Mermaid text, one line per row in the table's order."""
    lines = ["stateDiagram-v2"]
    if workflow.initial:
        lines.append(f"    [*] --> {workflow.initial}")
    lines += [f"    {t.source} --> {t.target}: {arrow_label(t)}" for t in workflow.table]
    leaving = {t.source for t in workflow.table}
    lines += [f"    {state} --> [*]" for state in workflow.states() if state not in leaving]
    return "\n".join(lines) + "\n"


def markdown(path: str, workflow: Workflow) -> str:
    """The block docs/architecture.md holds for a workflow (``path`` is its dotted name)."""
    return f"<!-- workflow {path} -->\n```mermaid\n{mermaid(workflow)}```"


def doc_blocks(text: str) -> dict[str, str]:
    """{dotted path: Mermaid text} of every workflow block in a page."""
    return {m["path"]: m["diagram"] for m in DOC_BLOCK.finditer(text)}
