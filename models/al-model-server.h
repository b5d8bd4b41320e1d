/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-asr.h"

G_BEGIN_DECLS

/* A lab's own model server that speaks Label Studio's ML backend
 * protocol: POST {base}predict with {"tasks": [{"id", "data"}],
 * "label_config", "project", "params"}, answered with {"results":
 * [{"result": [...], "score", "model_version"}]}. */
typedef struct _AlModelServer AlModelServer;

AlModelServer *al_model_server_new     (const char    *url,
                                        double         timeout_seconds,
                                        GError       **error);
void           al_model_server_free    (AlModelServer *server);
/* Whether the server can be asked about this kind of task. */
gboolean       al_model_server_handles (const AlTask  *task);
/* The proposal for one task (numbered @seq), in the shapes of
 * docs/proposals.md; NULL without an error when the model proposed
 * nothing. Any failure is an error that names the problem. */
json_t        *al_model_server_propose (AlModelServer *server,
                                        gint64         seq,
                                        const AlTask  *task,
                                        GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlModelServer, al_model_server_free)

G_END_DECLS
