"""Commands: build, serve, new, rename, and the output folder's safe replacement."""
