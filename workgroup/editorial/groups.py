"""The editorial roles by group name: who drafts, who approves, who reads the non-public parts.

What each role may do and see comes from the permissions that workgroup.editorial.roles gives
these groups; no rule compares group names. A module of names only, so that anything may import
it while Wagtail's models are still loading.
"""

EDITORS_GROUP = "Redaktion"
COORDINATION_GROUP = "Koordination"
MEMBERS_GROUP = "AG-Mitglieder"

# The groups that hold the permission to read the AG's non-public parts, and that the demo's
# members-only pages are restricted to.
CONFIDENTIAL_READER_GROUPS = (EDITORS_GROUP, COORDINATION_GROUP, MEMBERS_GROUP)
