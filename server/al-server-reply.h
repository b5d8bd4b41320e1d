/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-server-private.h"

G_BEGIN_DECLS

/* What every handler answers with: JSON, errors, text, with the security
 * headers; and what it reads from the request. Never calls the router. */
MHD_Result_t al_respond_json  (AlRequest   *req,
                               unsigned int status,
                               json_t      *body);
MHD_Result_t al_respond_error (AlRequest   *req,
                               unsigned int status,
                               const char  *code,
                               const char  *format,
                               ...) G_GNUC_PRINTF (4, 5);
MHD_Result_t al_respond_store_error (AlRequest *req,
                                     GError    *error);
MHD_Result_t al_respond_text  (AlRequest   *req,
                               unsigned int status,
                               const char  *content_type,
                               const char  *text,
                               gsize        length);
/* For the dashboard, the API and media: nothing from elsewhere, no inline
 * script or style, no framing. */
#define AL_SERVER_CSP                                                                          \
  "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "             \
  "form-action 'self'; frame-ancestors 'none'"

void         al_add_security_headers (struct MHD_Response *response);
/* Every response goes out through here, with the security headers. */
MHD_Result_t al_queue_response (AlRequest           *req,
                                unsigned int         status,
                                struct MHD_Response *response);
json_t *al_request_json (AlRequest *req, MHD_Result_t *result);
gint64       al_param_id      (AlRequest   *req,
                               guint        index);

G_END_DECLS
