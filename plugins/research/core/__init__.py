"""Foundations every stage uses: problems and errors, partial dates, name keys, the content contract, the site's address."""
