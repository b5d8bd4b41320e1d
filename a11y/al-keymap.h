/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AL_KEYMAP_ERROR (al_keymap_error_quark ())
GQuark al_keymap_error_quark (void);

typedef enum
{
  AL_KEYMAP_ERROR_FILE,         /* cannot read or parse the file */
  AL_KEYMAP_ERROR_ACCEL,        /* an accelerator is not valid */
  AL_KEYMAP_ERROR_ACTION,       /* the action is not known */
} AlKeymapError;

typedef struct
{
  const char *action;  /* "app.play-pause" */
  const char *accels;  /* "<Control>space;F5", ";"-separated */
  const char *help;    /* what it does, untranslated (N_), for the key help; or NULL */
} AlKeyDefault;

typedef struct _AlKeymap AlKeymap;

/* Tells whether a key name (without modifiers) names a real key. */
typedef gboolean (*AlKeyCheck) (const char *key);

AlKeymap          *al_keymap_new          (const AlKeyDefault *defaults,
                                           gsize               n_defaults);
void               al_keymap_free         (AlKeymap           *keymap);
gboolean           al_keymap_load         (AlKeymap           *keymap,
                                           const char         *path,
                                           GError            **error);
/* Checks the key names of files loaded later (not the defaults). */
void               al_keymap_set_key_check (AlKeymap          *keymap,
                                            AlKeyCheck         check);
const char *const *al_keymap_get          (AlKeymap           *keymap,
                                           const char         *action);
GStrv              al_keymap_list_actions (AlKeymap           *keymap);
/* The untranslated help of an action's default, NULL when it has none. */
const char        *al_keymap_get_help     (AlKeymap           *keymap,
                                           const char         *action);

/* Checks "<Control><Shift>a" style accelerators and returns the canonical
 * spelling (modifiers in a fixed order), or NULL with an error. */
char              *al_accel_normalize     (const char         *accel,
                                           GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlKeymap, al_keymap_free)

G_END_DECLS
