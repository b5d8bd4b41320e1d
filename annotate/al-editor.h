/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "al-task.h"

G_BEGIN_DECLS

/* How urgent an announcement is; the app maps this onto speech. */
typedef enum
{
  AL_ANNOUNCE_INTERRUPT, /* key echo, navigation: cuts off what is being said */
  AL_ANNOUNCE_QUEUE,     /* task information: waits its turn */
  AL_ANNOUNCE_IMPORTANT, /* errors, warnings: never dropped, never cut off */
} AlAnnounce;

/* Or'ed to a priority: the text is also the focused widget's accessible
 * description, which a screen reader speaks itself (docs/speech.md). */
#define AL_ANNOUNCE_DESCRIBED 0x100
#define AL_ANNOUNCE_PRIORITY(p) ((AlAnnounce) ((p) & 0xff))

/* A named action of an editor and its default keys ("<Control>r;F5"). */
typedef struct
{
  const char *action;
  const char *accels;
} AlEditorKey;

#define AL_TYPE_EDITOR (al_editor_get_type ())
G_DECLARE_INTERFACE (AlEditor, al_editor, AL, EDITOR, GtkWidget)

/* A task editor: shows one task, takes input, hands back a result.
 * Signals:
 *   "changed"  ()                         the draft changed; the window saves it
 *   "announce" (const char *text, int AlAnnounce)  something to speak
 *   "broken"   (const char *reason)       the task cannot be done (media missing, corrupt...)
 *   "ready"    ()                         the task is shown and can be worked on
 */
struct _AlEditorInterface
{
  GTypeInterface parent_iface;

  void      (*load)       (AlEditor   *self,
                           AlTask     *task,
                           json_t     *draft);
  json_t   *(*get_result) (AlEditor   *self);
  json_t   *(*get_draft)  (AlEditor   *self);
  gboolean  (*check)      (AlEditor   *self,
                           char      **problem);
  char     *(*describe)   (AlEditor   *self);
  char     *(*key_help)   (AlEditor   *self);
};

void      al_editor_load           (AlEditor   *self,
                                    AlTask     *task,
                                    json_t     *draft);
json_t   *al_editor_get_result     (AlEditor   *self);
json_t   *al_editor_get_draft      (AlEditor   *self);
gboolean  al_editor_check          (AlEditor   *self,
                                    char      **problem);
char     *al_editor_describe       (AlEditor   *self);
char     *al_editor_key_help       (AlEditor   *self);

void      al_editor_emit_changed   (AlEditor   *self);
void      al_editor_emit_announce  (AlEditor   *self,
                                    AlAnnounce  priority,
                                    const char *text);
void      al_editor_emit_broken    (AlEditor   *self,
                                    const char *reason);
void      al_editor_emit_ready     (AlEditor   *self);

/* How keys are written for people: "Ctrl+Space" for "<Control>space".
 * al_editor_keys_label joins several ("Ctrl+Enter or F9", keys that read
 * the same once), NULL when there is none. */
char     *al_editor_key_label      (const char        *accel);
char     *al_editor_keys_label     (const char *const *accels);

/* "nl" or "en": the session language, from the locale (Dutch first). */
const char *al_editor_language     (void);

G_END_DECLS
