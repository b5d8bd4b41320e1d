/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-server"

#include "config.h"

#include <string.h>

#include "al-server-reply.h"

/* Only what the response does not carry yet: a handler may set its own
 * Content-Security-Policy first (the work record does). */
void
al_add_security_headers (struct MHD_Response *response)
{
  static const char *const headers[][2] = {
    { "X-Content-Type-Options", "nosniff" },
    { "Referrer-Policy", "no-referrer" },
    { "X-Frame-Options", "DENY" },
    { "Content-Security-Policy", AL_SERVER_CSP },
    { "Cache-Control", "no-store" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (headers); i++)
    if (MHD_get_response_header (response, headers[i][0]) == NULL)
      MHD_add_response_header (response, headers[i][0], headers[i][1]);
}

MHD_Result_t
al_queue_response (AlRequest           *req,
                   unsigned int         status,
                   struct MHD_Response *response)
{
  /* Handlers that wait answer through al_respond_text only. */
  g_return_val_if_fail (!req->deferred, MHD_NO);
  al_add_security_headers (response);
  return MHD_queue_response (req->conn, status, response);
}

MHD_Result_t
al_respond_text (AlRequest   *req,
                 unsigned int status,
                 const char  *content_type,
                 const char  *text,
                 gsize        length)
{
  struct MHD_Response *response;
  MHD_Result_t ret;

  if (req->deferred)
    {
      /* Not on a connection thread: the answer goes out when the
       * connection is resumed. */
      g_free (req->reply_type);
      g_clear_pointer (&req->reply_body, g_bytes_unref);
      req->reply_status = status;
      req->reply_type = g_strdup (content_type);
      req->reply_body = g_bytes_new (text, length);
      req->answered = TRUE;
      return MHD_YES;
    }
  response = MHD_create_response_from_buffer (length, (void *) text, MHD_RESPMEM_MUST_COPY);
  MHD_add_response_header (response, "Content-Type", content_type);
  ret = al_queue_response (req, status, response);
  MHD_destroy_response (response);
  return ret;
}

MHD_Result_t
al_respond_json (AlRequest   *req,
                 unsigned int status,
                 json_t      *body)
{
  static const char unwritable[] =
    "{\"error\":{\"code\":\"internal\",\"message\":\"The answer could not be written\"}}";
  g_autofree char *text = body ? json_dumps (body, JSON_COMPACT) : NULL;

  if (text == NULL)
    return al_respond_text (req, 500, "application/json", unwritable, sizeof unwritable - 1);
  return al_respond_text (req, status, "application/json", text, strlen (text));
}

MHD_Result_t
al_respond_error (AlRequest   *req,
                  unsigned int status,
                  const char  *code,
                  const char  *format,
                  ...)
{
  g_autoptr (json_t) body = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  raw = g_strdup_vprintf (format, args);
  va_end (args);
  /* Messages may quote the request, which need not be UTF-8; JSON must be. */
  message = g_utf8_make_valid (raw, -1);
  body = json_pack ("{s:{s:s,s:s}}", "error", "code", code, "message", message);
  return al_respond_json (req, status, body);
}

MHD_Result_t
al_respond_store_error (AlRequest *req,
                        GError    *error)
{
  static const struct
  {
    int code;
    unsigned int status;
    const char *name;
  } map[] = {
    { AL_STORE_ERROR_NOT_FOUND, 404, "not_found" },
    { AL_STORE_ERROR_FORBIDDEN, 403, "forbidden" },
    { AL_STORE_ERROR_INVALID, 400, "invalid" },
    { AL_STORE_ERROR_CONFLICT, 409, "conflict" },
    { AL_STORE_ERROR_FULL, 507, "storage_full" },
    { AL_STORE_ERROR_READONLY, 503, "storage_read_only" },
    { AL_STORE_ERROR_BUSY, 503, "busy" },
    { AL_STORE_ERROR_UNAVAILABLE, 503, "database_unavailable" },
    { AL_STORE_ERROR_CORRUPT, 500, "storage_damaged" },
  };

  if (error->domain == AL_STORE_ERROR || error->domain == AL_TASK_ERROR)
    for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
      if (error->domain == AL_STORE_ERROR && error->code == map[i].code)
        return al_respond_error (req, map[i].status, map[i].name, "%s", error->message);
  if (error->domain == AL_TASK_ERROR)
    return al_respond_error (req, 400, "invalid", "%s", error->message);
  return al_respond_error (req, 500, "internal", "%s", error->message);
}

json_t *
al_request_json (AlRequest    *req,
                 MHD_Result_t *result)
{
  const char *type = MHD_lookup_connection_value (req->conn, MHD_HEADER_KIND,
                                                  MHD_HTTP_HEADER_CONTENT_TYPE);
  AlBodyError err = { 0 };
  json_t *json;

  json = al_parse_json_body (type, req->body ? (const char *)req->body->data : "",
                             req->body ? req->body->len : 0, &err);
  if (json == NULL)
    {
      *result = al_respond_error (req, err.status, err.code, "%s", err.message);
      g_free (err.message);
    }
  return json;
}

gint64
al_param_id (AlRequest *req,
             guint      index)
{
  if (req->params == NULL || index >= g_strv_length (req->params))
    return -1;
  return al_parse_id (req->params[index]);
}
