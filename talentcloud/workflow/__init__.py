"""The workflow engine (platform layer): declared tables of (state, action) → (new state, who may, input,
guard), effects registered per action, one ``transition()`` and one ``bulk_transition()`` writing every
move, and the table drawn as a diagram. ``tables`` declares, ``engine`` moves, ``diagram`` draws
(docs/architecture.md, "Workflow engine"; ADR 0012)."""
