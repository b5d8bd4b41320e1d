/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-store.h"

G_BEGIN_DECLS

/* Serves @store until SIGTERM or SIGINT; returns the exit status. */
int al_queue_serve (AlStore    *store,
                    const char *listen,
                    const char *cert_path,
                    const char *key_path,
                    double      rate);

G_END_DECLS
