"""A scratch app, enabled only by the tests that prove a new app registers its own things (issue: layers as
contracts) without editing any other app. Each file here is one registry's declaration; ``test_scratch_app``
enables it with ``override_settings(INSTALLED_APPS=...)`` and looks for each where it should show up."""
