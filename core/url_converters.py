"""Path converters for the site's URLs."""


class DatabaseKeyConverter:
    """A primary key in a URL: a number beyond what a key column holds names no object and
    answers 404 like any other unknown address; SQLite would raise OverflowError, a 500."""

    regex = "[0-9]+"
    largest = 2**63 - 1

    def to_python(self, value):
        key = int(value)
        if key > self.largest:
            raise ValueError(value)
        return key

    def to_url(self, value):
        return str(value)
