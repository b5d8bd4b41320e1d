/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-queue-cli.h"

G_BEGIN_DECLS

/* annolab-queue pre-annotate and proposals: the commands that run models,
 * in their own library so that the server never links curl or them. */
extern const AlQueueCommand al_preannotate_commands[];

G_END_DECLS
