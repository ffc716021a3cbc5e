"""The bottom layer: what any app of the site builds on, without knowing the AG.

Nothing here imports home, workgroup, website, oparl or demo (checked by the import contracts in
pyproject.toml): the shared StreamField blocks, listing helpers, URL converters, the content
security policy, logging, the page cache with its invalidation, page visibility by view
restriction, and the navigation tags.
"""
