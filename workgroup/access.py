"""The editorial roles by group name: who drafts, who approves, who reads the non-public parts.

What each role may see is decided by workgroup.visibility, from the permissions that
workgroup.roles gives these groups, never by comparing group names.
"""

EDITORS_GROUP = "Redaktion"
COORDINATION_GROUP = "Koordination"
MEMBERS_GROUP = "AG-Mitglieder"

# The groups that hold the permission to read the AG's non-public parts, and that the demo's
# members-only pages are restricted to.
CONFIDENTIAL_READER_GROUPS = (EDITORS_GROUP, COORDINATION_GROUP, MEMBERS_GROUP)
