"""Pure: settings, content, history and "today" in, every page of the site out (its URL,
template, data and key). urls.py is the one home of every URL. Imports content, history,
engine; touches no file."""
