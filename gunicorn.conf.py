"""gunicorn settings shared by `make serve`, the benchmark, the soak test and the test of several
instances; gunicorn reads this file from the working directory by itself.

gunicorn's control socket lives at one fixed path per user, so a second instance on the same
machine fails to open it; the project never uses that interface.
"""

control_socket_disable = True
