"""The password hasher, with its cost chosen deliberately (docs/decisions/0009-password-hashing.md).

Django's default Argon2 parameters allocate about 100 MB per check; OWASP's Password Storage Cheat
Sheet gives m=19 MiB, t=2, p=1 as the minimum configuration for Argon2id. Hashes keep the algorithm
name "argon2", so existing hashes still verify and are re-hashed with these parameters at the next
login (Django's `must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
