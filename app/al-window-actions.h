/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-keymap.h"

G_BEGIN_DECLS

/* The defaults of the window's actions (and the dialogs' and the
 * application's that the window shows), for the key map. */
const AlKeyDefault *al_window_actions_default_keys (gsize *n_keys);

G_END_DECLS
