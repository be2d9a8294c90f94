"""`pytest examples` runs every example's contract suite from the repository root.

connector_template/ is a separate project (its own pyproject, pytest settings and tox):
it is run there, by tox, against this checkout — see tests/test_examples_template.py.
"""

from hypothesis import settings

collect_ignore = ["connector_template"]

# CI machines are noisy: no Hypothesis deadlines (assert_producer_honours_contract uses the loaded profile).
settings.register_profile("cti-examples", deadline=None)
settings.load_profile("cti-examples")
