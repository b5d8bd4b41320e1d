/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-editor"

#include "config.h"

#include "al-editor.h"

G_DEFINE_INTERFACE (AlEditor, al_editor, GTK_TYPE_WIDGET)

enum
{
  CHANGED,
  ANNOUNCE,
  BROKEN,
  READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
al_editor_default_init (AlEditorInterface *iface)
{
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[ANNOUNCE] = g_signal_new ("announce", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);
  signals[BROKEN] = g_signal_new ("broken", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[READY] = g_signal_new ("ready", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
}

void
al_editor_load (AlEditor *self,
                AlTask   *task,
                json_t   *draft)
{
  g_return_if_fail (AL_IS_EDITOR (self));
  g_return_if_fail (task != NULL);
  AL_EDITOR_GET_IFACE (self)->load (self, task, draft);
}

json_t *
al_editor_get_result (AlEditor *self)
{
  g_return_val_if_fail (AL_IS_EDITOR (self), NULL);
  return AL_EDITOR_GET_IFACE (self)->get_result (self);
}

json_t *
al_editor_get_draft (AlEditor *self)
{
  g_return_val_if_fail (AL_IS_EDITOR (self), NULL);
  return AL_EDITOR_GET_IFACE (self)->get_draft (self);
}

gboolean
al_editor_check (AlEditor *self,
                 char    **problem)
{
  g_return_val_if_fail (AL_IS_EDITOR (self), FALSE);
  return AL_EDITOR_GET_IFACE (self)->check (self, problem);
}

char *
al_editor_describe (AlEditor *self)
{
  g_return_val_if_fail (AL_IS_EDITOR (self), NULL);
  return AL_EDITOR_GET_IFACE (self)->describe (self);
}

char *
al_editor_key_help (AlEditor *self)
{
  g_return_val_if_fail (AL_IS_EDITOR (self), NULL);
  return AL_EDITOR_GET_IFACE (self)->key_help (self);
}

void
al_editor_emit_changed (AlEditor *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

void
al_editor_emit_announce (AlEditor   *self,
                         AlAnnounce  priority,
                         const char *text)
{
  g_signal_emit (self, signals[ANNOUNCE], 0, text, (int) priority);
}

void
al_editor_emit_broken (AlEditor   *self,
                       const char *reason)
{
  g_signal_emit (self, signals[BROKEN], 0, reason);
}

void
al_editor_emit_ready (AlEditor *self)
{
  g_signal_emit (self, signals[READY], 0);
}

const char *
al_editor_language (void)
{
  const char *const *names = g_get_language_names ();

  for (; names && *names; names++)
    {
      if (g_str_has_prefix (*names, "nl"))
        return "nl";
      if (g_str_has_prefix (*names, "en"))
        return "en";
    }
  return "nl";
}
