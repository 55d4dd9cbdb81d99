"""Test support: builders, corpora and real components (the Moodle site) shared by the tests."""
