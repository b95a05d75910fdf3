"""What the tests share: sample data, hostile files, page objects, a live client, helpers.

Test files import from here, never from one another (tests/test_architecture.py checks it)."""
