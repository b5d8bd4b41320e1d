/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "al-speech-priority.h"
#include "al-task.h"

G_BEGIN_DECLS

/* Or'ed to a priority: the text is also the focused widget's accessible
 * description, which a screen reader speaks itself (docs/speech.md). */
#define AL_SPEECH_DESCRIBED 0x100
#define AL_SPEECH_PRIORITY_OF(p) ((AlSpeechPriority) ((p) & 0xff))

/* A named action of an editor, its default keys ("<Control>r;F5") and
 * what it does (untranslated, N_), as the key help lists it. */
typedef struct
{
  const char *action;
  const char *accels;
  const char *help;
} AlEditorKey;

#define AL_TYPE_EDITOR (al_editor_get_type ())
G_DECLARE_INTERFACE (AlEditor, al_editor, AL, EDITOR, GtkWidget)

/* A task editor: shows one task, takes input, hands back a result.
 * Signals:
 *   "changed"  ()                         the draft changed; the window saves it
 *   "announce" (const char *text, int AlSpeechPriority, const char *language)
 *              something to speak; language NULL: the session language
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
  /* The key help's line for @action (@help: its translated default), for
   * the task shown; NULL leaves it out (not this editor's, or not in this
   * task). */
  char     *(*describe_key) (AlEditor   *self,
                             const char *action,
                             const char *help);
  /* The keys of @action changed (al_editor_set_keys). */
  void      (*keys_changed) (AlEditor   *self,
                             const char *action);
};

void      al_editor_load           (AlEditor   *self,
                                    AlTask     *task,
                                    json_t     *draft);
json_t   *al_editor_get_result     (AlEditor   *self);
json_t   *al_editor_get_draft      (AlEditor   *self);
gboolean  al_editor_check          (AlEditor   *self,
                                    char      **problem);
char     *al_editor_describe       (AlEditor   *self);
char     *al_editor_describe_key   (AlEditor   *self,
                                    const char *action,
                                    const char *help);

/* The keys in force, which the window hands to its editors for every
 * action of the key map (its own too, so that the editors' hints name
 * them). Until then an editor's own actions have their defaults. */
void      al_editor_set_keys       (AlEditor          *self,
                                    const char        *action,
                                    const char *const *accels);
const char *const *al_editor_get_keys (AlEditor       *self,
                                    const char        *action);
/* An editor's own actions (@keys, @n_keys of them): al_editor_init_keys
 * gives each its default keys, al_editor_update_shortcuts puts the keys in
 * force in a shortcut controller of the editor (capture phase: a text
 * field would take them otherwise), replacing the one in @shortcuts;
 * @activated gets the action's index as its data. al_editor_key_index is
 * that index of @action, -1 when it is not one of them. */
/* The note that says a task comes with a model's proposal: a wrapping
 * label, hidden until a task has one. */
GtkLabel *al_editor_new_proposal_note (void);
void      al_editor_describe_before_focus (GtkWidget *widget);
void      al_editor_init_keys       (AlEditor          *self,
                                     const AlEditorKey *keys,
                                     gsize              n_keys);
void      al_editor_update_shortcuts (AlEditor           *self,
                                      GtkEventController **shortcuts,
                                      const AlEditorKey   *keys,
                                      gsize                n_keys,
                                      GtkShortcutFunc      activated);
int       al_editor_key_index       (const AlEditorKey *keys,
                                     gsize              n_keys,
                                     const char        *action);
/* The keys of @action for people ("Ctrl+Enter"), NULL when it has none. */
char     *al_editor_keys_label_of   (AlEditor          *self,
                                     const char        *action);
/* The keys of @action for people ("Ctrl+Enter"), "(no key)" when it has
 * none. */
char     *al_editor_keys_of        (AlEditor          *self,
                                    const char        *action);

void      al_editor_emit_changed   (AlEditor   *self);
void      al_editor_emit_announce  (AlEditor   *self,
                                    AlSpeechPriority  priority,
                                    const char *text);
/* Words in another language than the session's: the recording's. */
void      al_editor_emit_announce_in (AlEditor   *self,
                                      AlSpeechPriority  priority,
                                      const char *language,
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
