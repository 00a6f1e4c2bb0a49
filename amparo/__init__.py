"""amparo: a regional strategy against child sex trafficking and child sex tourism."""

# The release this code is, or the next one while it is unreleased ("0.2.0.dev0"); shown by
# ``amparo --version``, in every page's footer and by /health/. CHANGELOG.md is grouped by it.
__version__ = "0.2.0.dev0"
