"""The read-only OParl 1.1 endpoints: plain JSON, open to every origin, errors as OParl Error
objects."""

import functools

from django.core.signals import got_request_exception
from django.http import FileResponse, JsonResponse
from django.utils.log import log_response

from oparl import configured, serializers
from oparl.kinds import DATABASE_LISTS, KINDS, oparl_type
from oparl.models import Tombstone
from oparl.pagination import (
    BadRequest,
    ConfiguredSegment,
    KindSegment,
    ListQuery,
    NotFound,
    TombstoneSegment,
    exposed_keys,
    paginate,
)
from workgroup import visibility

CONTENT_TYPE = "application/json; charset=utf-8"


def _json(data, status=200):
    return JsonResponse(
        data, status=status, content_type=CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def _error(status, message):
    return _json({"type": "https://schema.oparl.org/1.1/Error", "message": message}, status=status)


def endpoint(view):
    """GET and HEAD only, objects as JSON, failures as OParl Error objects; every answer may
    be read by scripts on any website."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = _answer(view, request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def _answer(view, request, *args, **kwargs):
    if request.method not in ("GET", "HEAD"):
        response = _error(405, "Die Schnittstelle kann nur gelesen werden.")
        response["Allow"] = "GET, HEAD"
        return response
    try:
        result = view(request, *args, **kwargs)
    except BadRequest as error:
        return _error(400, str(error))
    except NotFound as error:
        return _error(404, str(error))
    except Exception as error:
        return _failure(request, error)
    return result if isinstance(result, FileResponse) else _json(result)


def _failure(request, error):
    """A failure of the server answers as an OParl Error too, since clients read every answer
    as JSON; error reporting and the log hear of it as of any other failure."""
    got_request_exception.send(sender=None, request=request)
    response = _error(500, "Interner Fehler der Schnittstelle. Bitte später erneut versuchen.")
    log_response(
        "Internal Server Error: %s",
        request.path,
        response=response,
        request=request,
        exception=error,
    )
    return response


@endpoint
def system(request):
    return serializers.system(serializers.Context(request))


@endpoint
def body(request, key):
    if key != configured.BODY_KEY:
        raise NotFound("Diese Körperschaft gibt es nicht.")
    return serializers.body(serializers.Context(request))


@endpoint
def legislative_term(request, key):
    ctx = serializers.Context(request)
    for term in configured.legislative_terms():
        if term.key == key:
            return serializers.legislative_term(ctx, term)
    return _deleted_or_missing(ctx, "legislative-term", key)


@endpoint
def database_object(request, kind, key):
    ctx = serializers.Context(request)
    object_kind = KINDS[kind]
    found = list(object_kind.queryset(ctx.scope).filter(pk=key))
    if not found:
        return _deleted_or_missing(ctx, kind, key)
    object_kind.prefetch(ctx, found)
    return object_kind.serialize(ctx, found[0])


def _deleted_or_missing(ctx, kind, key):
    grave = Tombstone.objects.filter(kind=kind, key=str(key)).first()
    if grave is None:
        raise NotFound("Dieses Objekt gibt es nicht.")
    return serializers.tombstone(ctx, oparl_type(kind), grave)


@endpoint
def bodies(request):
    query = ListQuery.from_request(request)
    ctx = serializers.Context(request, omit_internal=query.omit_internal)
    key = ("body", configured.BODY_KEY)
    segment = ConfiguredSegment(
        ctx, query, [(key, None)], ctx.configured_times, lambda ctx, _: serializers.body(ctx)
    )
    return paginate("bodies", query, [segment])


@endpoint
def legislative_terms(request, body_key):
    query = _list_query(request, body_key)
    ctx = serializers.Context(request, omit_internal=query.omit_internal)
    terms = configured.legislative_terms()
    segments = [
        ConfiguredSegment(
            ctx,
            query,
            [(("legislative-term", term.key), term) for term in terms],
            ctx.configured_times,
            serializers.legislative_term,
        )
    ]
    if query.includes_deleted:
        keys = {"legislative-term": [term.key for term in terms]}
        segments.append(TombstoneSegment(ctx, query, keys))
    return paginate("legislative-term", query, segments)


@endpoint
def database_list(request, body_key, list_name):
    query = _list_query(request, body_key)
    ctx = serializers.Context(request, omit_internal=query.omit_internal)
    kinds = [KINDS[name] for name in DATABASE_LISTS[list_name]]
    segments = [KindSegment(ctx, kind, query) for kind in kinds]
    if query.includes_deleted:
        keys = {kind.name: exposed_keys(kind.queryset(ctx.scope)) for kind in kinds}
        segments.append(TombstoneSegment(ctx, query, keys))
    return paginate(list_name, query, segments)


def _list_query(request, body_key):
    if body_key != configured.BODY_KEY:
        raise NotFound("Diese Körperschaft gibt es nicht.")
    return ListQuery.from_request(request)


@endpoint
def file_download(request, key):
    """The file itself as a download; `accessUrl` is the website's own document link."""
    ctx = serializers.Context(request)
    document = KINDS["file"].queryset(ctx.scope).filter(pk=key).first()
    # The website's policy has the last word on every file, here as at `accessUrl`.
    if document is None or not visibility.document_is_visible(document):
        raise NotFound("Diese Datei gibt es nicht.")
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )


@endpoint
def not_found(request, path):
    raise NotFound("Diese Adresse gibt es in der OParl-Schnittstelle nicht.")
