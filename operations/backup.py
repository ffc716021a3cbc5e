"""One archive of the database content and the media files, and its way back.

PostgreSQL is dumped with its own tools (pg_dump's custom format keeps sequences, constraints
and the search index exactly); other databases go through Django's dumpdata, which is portable
but slower. Media files are read through the storage API so S3-compatible storage works too.
"""

import io
import json
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

FORMAT_VERSION = 1
# Content types and permissions travel with their ids: log entries of deleted pages keep
# dangling references that natural keys cannot express.
DUMPDATA_EXCLUDES = ["sessions", "axes"]


class BackupError(Exception):
    """A failure an operator can act on; the message is German."""


def is_postgres(alias="default"):
    return connections[alias].vendor == "postgresql"


def libpq_environment(alias="default"):
    """pg_dump/pg_restore read the connection from the environment, never the command line,
    so a password does not show up in the process list."""
    settings = connections[alias].settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings.get(key):
            env[name] = str(settings[key])
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    env["PGDATABASE"] = settings["NAME"]
    return env


def storage_files(storage, path=""):
    directories, files = storage.listdir(path)
    for name in files:
        yield f"{path}/{name}" if path else name
    for directory in directories:
        yield from storage_files(storage, f"{path}/{directory}" if path else directory)


def add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def write_backup(target, alias="default", storage=default_storage):
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    media = sorted(storage_files(storage))
    with tarfile.open(target, "w:gz") as archive:
        if is_postgres(alias):
            dump = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"],
                env=libpq_environment(alias),
                capture_output=True,
                check=False,
            )
            if dump.returncode:
                raise BackupError(f"pg_dump ist fehlgeschlagen: {dump.stderr.decode().strip()}")
            add_bytes(archive, "database.pgdump", dump.stdout)
        else:
            out = io.StringIO()
            call_command(
                "dumpdata",
                *dump_order(),
                database=alias,
                stdout=out,
            )
            add_bytes(archive, "database.json", out.getvalue().encode())
        for name in media:
            with storage.open(name, "rb") as handle:
                add_bytes(archive, f"media/{name}", handle.read())
        manifest = {
            "format": FORMAT_VERSION,
            "created": timezone.now().isoformat(),
            "database": connections[alias].vendor,
            "media_files": len(media),
        }
        add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    return manifest


def dump_order():
    """Content types and users first: loading later rows may fire signals that look them up."""
    first = ["contenttypes", "auth"]
    rest = [
        config.label
        for config in apps.get_app_configs()
        if config.models_module and config.label not in first + DUMPDATA_EXCLUDES
    ]
    return first + rest


def database_has_content(alias="default"):
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    tables = connections[alias].introspection.table_names()
    if Page._meta.db_table not in tables:
        return False
    users = get_user_model().objects.using(alias).exists()
    return users or Page.objects.using(alias).filter(depth__gt=1).exists()


def restore_backup(source, alias="default", storage=default_storage):
    if database_has_content(alias):
        raise BackupError(
            "Die Zieldatenbank enthält bereits Inhalte. Eine Sicherung wird nur in eine leere "
            "Datenbank zurückgespielt, damit nichts unbemerkt überschrieben wird."
        )
    with tarfile.open(source, "r:gz") as archive, tempfile.TemporaryDirectory() as workdir:
        archive.extractall(workdir, filter="data")
        root = Path(workdir)
        manifest = json.loads((root / "manifest.json").read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError("Dieses Sicherungsformat wird nicht unterstützt.")
        if (root / "database.pgdump").exists():
            if not is_postgres(alias):
                raise BackupError(
                    "Diese Sicherung stammt aus PostgreSQL und kann nur dorthin "
                    "zurückgespielt werden."
                )
            # The dump brings its own schema and migration history, so the target must be bare;
            # database_has_content() made sure there is nothing but empty tables to drop.
            drop_all_tables(alias)
            result = subprocess.run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--dbname",
                    connections[alias].settings_dict["NAME"],
                    str(root / "database.pgdump"),
                ],
                env=libpq_environment(alias),
                capture_output=True,
                check=False,
            )
            if result.returncode:
                raise BackupError(
                    f"pg_restore ist fehlgeschlagen: {result.stderr.decode().strip()}"
                )
        else:
            call_command("migrate", interactive=False, database=alias, verbosity=0)
            # Migrations create Wagtail's root page, default site and groups, and content types
            # and permissions with ids of their own; the dump brings all of them. The flush must
            # not announce itself as a migration: post_migrate handlers would write rows (the
            # OParl API's observations) that the dump brings too.
            call_command(
                "flush", interactive=False, database=alias, verbosity=0, inhibit_post_migrate=True
            )
            Permission.objects.using(alias).all().delete()
            ContentType.objects.using(alias).all().delete()
            ContentType.objects.clear_cache()
            call_command("loaddata", str(root / "database.json"), database=alias, verbosity=0)
            ContentType.objects.clear_cache()
        media_root = root / "media"
        restored = 0
        if media_root.exists():
            for path in sorted(p for p in media_root.rglob("*") if p.is_file()):
                name = path.relative_to(media_root).as_posix()
                if storage.exists(name):
                    storage.delete(name)
                storage.save(name, ContentFile(path.read_bytes()))
                restored += 1
    connections[alias].close()
    ContentType.objects.clear_cache()
    return {**manifest, "media_restored": restored}


def drop_all_tables(alias):
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
