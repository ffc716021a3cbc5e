"""The editorial side: what editors and the Koordination may do in the admin, and how."""
