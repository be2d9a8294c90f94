"""`pytest examples` runs every example's contract suite from the repository root.

connector_template/ is a separate project (its own pyproject, pytest settings and tox):
it is run there, by tox, against this checkout — see tests/test_examples_template.py.
"""

collect_ignore = ["connector_template"]
