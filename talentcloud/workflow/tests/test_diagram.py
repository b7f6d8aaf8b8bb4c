"""The table as a diagram: the drawing of every workflow in docs/architecture.md is its table's (they cannot
drift), and the command prints it."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.utils.module_loading import import_string

from talentcloud.workflow.diagram import doc_blocks, markdown, mermaid

from .test_engine import TINY

DOC = Path(__file__).resolve().parents[3] / "docs" / "architecture.md"


def test_the_docs_draw_each_workflow_as_its_table_is():
    blocks = doc_blocks(DOC.read_text())
    assert "talentcloud.servicehall.workflow.CASES" in blocks
    for path, drawn in blocks.items():
        assert drawn == mermaid(import_string(path)), (
            f"{path} changed: `manage.py workflow_diagram {path} --markdown` gives the block for {DOC.name}"
        )


def test_a_table_drawn():
    assert mermaid(TINY) == (
        "stateDiagram-v2\n"
        "    [*] --> draft\n"
        "    draft --> submitted: send (owner)\n"
        "    submitted --> submitted: remark (owner) needs note\n"
        "    submitted --> closed: finish (owner) guarded\n"
        "    draft --> withdrawn: drop (owner, system)\n"
        "    submitted --> refused: drop (system)\n"
        "    closed --> [*]\n"
        "    withdrawn --> [*]\n"
        "    refused --> [*]\n"
    )


def test_the_command_prints_the_block_the_docs_hold():
    path = "talentcloud.servicehall.workflow.CASES"
    out = StringIO()
    call_command("workflow_diagram", path, "--markdown", stdout=out)
    assert out.getvalue() == markdown(path, import_string(path))
    assert out.getvalue() in DOC.read_text()
