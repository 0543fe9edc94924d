"""One module per verb of the command line: build, serve, check, new, publish, init. Imports
every layer below."""
