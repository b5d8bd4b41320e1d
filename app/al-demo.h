/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-store.h"

G_BEGIN_DECLS

char     *al_demo_find_tasks (void);
gboolean  al_demo_seed       (AlStore *store,
                              GError **error);

G_END_DECLS
