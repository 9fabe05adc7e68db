"""A first test, so that the pipeline has tests to run from day one. Replace it with real tests."""
import sys


def test_python_version_is_supported():
    assert sys.version_info >= (3, 9)
