/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-player-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "al-annotate-resources.h"
#include "al-player-panel.h"

struct _AlPlayerPanel
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkLabel *label;

  /* Borrowed: the editor that owns the panel */
  AlEditor *editor;

  /* Owned */
  AlPlayer *player;
  char *extra;
  gboolean voice;
  gboolean play_when_ready;
  gboolean show_speed;
};

enum
{
  ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AlPlayerPanel, al_player_panel, GTK_TYPE_WIDGET)

void
al_player_panel_update (AlPlayerPanel *self)
{
  g_autofree char *text = NULL;
  const char *state;

  g_return_if_fail (AL_IS_PLAYER_PANEL (self));
  if (self->player == NULL)
    return;
  state = al_player_get_playing (self->player) ? _("Playing") : _("Paused");
  if (self->show_speed)
    text = g_strdup_printf (_("%s · %.1f of %.1f s · speed %.2f×"), state,
                            al_player_get_position (self->player),
                            al_player_get_duration (self->player),
                            al_player_get_rate (self->player));
  else
    text = g_strdup_printf (_("%s · %.1f of %.1f s"), state, al_player_get_position (self->player),
                            al_player_get_duration (self->player));
  if (self->extra && *self->extra)
    {
      char *both = g_strdup_printf ("%s · %s", text, self->extra);
      g_free (text);
      text = both;
    }
  gtk_label_set_text (self->label, text);
}

static void
player_ready (AlPlayerPanel *self)
{
  al_player_panel_update (self);
  if (self->voice || self->play_when_ready)
    al_player_play (self->player);
  self->play_when_ready = FALSE;
}

static void
player_error (AlPlayerPanel *self,
              const char    *message)
{
  g_signal_emit (self, signals[ERROR], 0, message);
}

static void
player_notice (AlPlayerPanel *self,
               const char    *message)
{
  if (self->editor)
    al_editor_emit_announce (self->editor, AL_SPEECH_QUEUE, message);
}

void
al_player_panel_set_player (AlPlayerPanel *self,
                            AlEditor      *editor,
                            const char    *sink)
{
  g_return_if_fail (AL_IS_PLAYER_PANEL (self));
  g_return_if_fail (self->player == NULL);
  self->editor = editor;
  self->player = al_player_new (sink ? sink : "auto");
  g_signal_connect_swapped (self->player, "notify::position", G_CALLBACK (al_player_panel_update),
                            self);
  g_signal_connect_swapped (self->player, "notify::playing", G_CALLBACK (al_player_panel_update),
                            self);
  g_signal_connect_swapped (self->player, "ready", G_CALLBACK (player_ready), self);
  g_signal_connect_swapped (self->player, "error", G_CALLBACK (player_error), self);
  g_signal_connect_swapped (self->player, "notice", G_CALLBACK (player_notice), self);
}

AlPlayer *
al_player_panel_get_player (AlPlayerPanel *self)
{
  g_return_val_if_fail (AL_IS_PLAYER_PANEL (self), NULL);
  return self->player;
}

void
al_player_panel_set_voice (AlPlayerPanel *self,
                           gboolean       voice)
{
  g_return_if_fail (AL_IS_PLAYER_PANEL (self));
  self->voice = voice;
}

void
al_player_panel_play_when_ready (AlPlayerPanel *self,
                                 gboolean       play)
{
  g_return_if_fail (AL_IS_PLAYER_PANEL (self));
  self->play_when_ready = play;
}

void
al_player_panel_set_show_speed (AlPlayerPanel *self,
                                gboolean       show_speed)
{
  g_return_if_fail (AL_IS_PLAYER_PANEL (self));
  self->show_speed = show_speed;
}

void
al_player_panel_set_extra (AlPlayerPanel *self,
                           const char    *extra)
{
  g_return_if_fail (AL_IS_PLAYER_PANEL (self));
  g_free (self->extra);
  self->extra = g_strdup (extra);
}

static void
al_player_panel_dispose (GObject *object)
{
  AlPlayerPanel *self = AL_PLAYER_PANEL (object);

  if (self->player)
    g_signal_handlers_disconnect_by_data (self->player, self);
  g_clear_object (&self->player);
  gtk_widget_dispose_template (GTK_WIDGET (self), AL_TYPE_PLAYER_PANEL);
  G_OBJECT_CLASS (al_player_panel_parent_class)->dispose (object);
}

static void
al_player_panel_finalize (GObject *object)
{
  AlPlayerPanel *self = AL_PLAYER_PANEL (object);

  g_free (self->extra);
  G_OBJECT_CLASS (al_player_panel_parent_class)->finalize (object);
}

static void
al_player_panel_class_init (AlPlayerPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = al_player_panel_dispose;
  object_class->finalize = al_player_panel_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  /* Straight from the resource: the editors are in a static library, where
   * nothing else would pull the resource in. */
  {
    g_autoptr (GBytes) ui = g_resource_lookup_data (al_annotate_get_resource (),
                                                    "/nl/annolab/Annotate/al-player-panel.ui",
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    gtk_widget_class_set_template (widget_class, ui);
  }
  gtk_widget_class_bind_template_child (widget_class, AlPlayerPanel, label);
  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
al_player_panel_init (AlPlayerPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
