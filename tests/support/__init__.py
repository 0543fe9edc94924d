"""What tests call with arguments: the text of small sites, git with fixed dates, the link
check of a built site, the browser tools, the preview server, a planted cache file; and the
types of the fixtures `tests/conftest.py` gives."""
