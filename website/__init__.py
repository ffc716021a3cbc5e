"""The public outputs that are not pages of the tree."""
