"""One module per verb of the command line: build, serve, check, new, publish. Imports
every layer below."""
