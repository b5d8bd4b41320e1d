/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Translations for one language, read straight from annolab's compiled
 * gettext catalog (annolab.mo), so that a text can be rendered in the
 * participant's language whatever the process locale is, from any thread.
 * Returns @msgid itself when there is no translation. @context may be NULL. */
const char *al_catalog_lookup (const char *language,
                               const char *context,
                               const char *msgid);

/* Drops cached catalogs (tests that switch ANNOLAB_LOCALEDIR). */
void        al_catalog_reset  (void);

G_END_DECLS
