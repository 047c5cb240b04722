"""Users, roles and what each role may do."""

from dikjamila.auth.passwords import hash_password, verify_password
from dikjamila.auth.roles import ROLES, Actor, Permission, allowed, require

__all__ = ["ROLES", "Actor", "Permission", "allowed", "require", "hash_password", "verify_password"]
