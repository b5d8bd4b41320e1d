/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-window"

#include "config.h"

#include <glib/gi18n.h>

#include "al-pass-chooser.h"

static const struct
{
  const char *code;   /* as the store and the server know it */
  const char *words;
} reasons[] = {
  { "noisy", N_ ("Too noisy or unclear") },
  { "language", N_ ("Wrong language") },
  { "not_for_me", N_ ("Not for me") },
  { "other", N_ ("Something else") },
};

#define N_REASONS G_N_ELEMENTS (reasons)

struct _AlPassChooser
{
  GtkWindow parent_instance;

  GtkBox *box;

  GtkWidget *buttons[N_REASONS];
  char *names[N_REASONS];
  gboolean quiet;   /* the next focus is said with the question */
  gboolean chosen;
};

G_DEFINE_FINAL_TYPE (AlPassChooser, al_pass_chooser, GTK_TYPE_WINDOW)

enum
{
  REASON_CHOSEN,
  ANNOUNCE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
al_pass_reason_words (const char *code)
{
  for (gsize i = 0; i < N_REASONS; i++)
    if (g_str_equal (reasons[i].code, code))
      return _ (reasons[i].words);
  return code;
}

static guint
index_of (AlPassChooser *self, GtkWidget *button)
{
  guint i = 0;

  while (i < N_REASONS && self->buttons[i] != button)
    i++;
  return i;
}

static void
clicked (GtkButton *button, AlPassChooser *self)
{
  guint i = index_of (self, GTK_WIDGET (button));

  self->chosen = TRUE;
  g_signal_emit (self, signals[REASON_CHOSEN], 0, reasons[i].code);
}

static gboolean
digit_pressed (GtkWidget *widget, GVariant *args, gpointer data)
{
  AlPassChooser *self = AL_PASS_CHOOSER (widget);
  guint i = g_variant_get_uint32 (args);

  if (i < N_REASONS)
    gtk_widget_activate (self->buttons[i]);
  return TRUE;
}

static void
say_focused (GtkEventControllerFocus *focus, AlPassChooser *self)
{
  GtkWidget *button = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (focus));
  guint i = index_of (self, button);

  /* The first reason is said with the question, not over it. */
  if (self->quiet)
    {
      self->quiet = FALSE;
      return;
    }
  if (i < N_REASONS)
    g_signal_emit (self, signals[ANNOUNCE], 0, self->names[i]);
}

AlPassChooser *
al_pass_chooser_new (GtkWindow *parent)
{
  return g_object_new (AL_TYPE_PASS_CHOOSER, "transient-for", parent, NULL);
}

void
al_pass_chooser_set_close_button (AlPassChooser *self, GtkWidget *button)
{
  gtk_box_append (self->box, button);
}

guint
al_pass_chooser_get_n_reasons (AlPassChooser *self)
{
  return N_REASONS;
}

const char *
al_pass_chooser_focus_first (AlPassChooser *self)
{
  gtk_widget_grab_focus (self->buttons[0]);
  return self->names[0];
}

gboolean
al_pass_chooser_get_chosen (AlPassChooser *self)
{
  return self->chosen;
}

static void
al_pass_chooser_finalize (GObject *object)
{
  AlPassChooser *self = AL_PASS_CHOOSER (object);

  for (gsize i = 0; i < N_REASONS; i++)
    g_free (self->names[i]);
  G_OBJECT_CLASS (al_pass_chooser_parent_class)->finalize (object);
}

static void
al_pass_chooser_class_init (AlPassChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = al_pass_chooser_finalize;
  signals[REASON_CHOSEN] = g_signal_new ("reason-chosen", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                         G_TYPE_STRING);
  signals[ANNOUNCE] = g_signal_new ("announce", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/annolab/Workstation/al-pass-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, AlPassChooser, box);
}

/* The reasons come from the table above, so they are made here, with the
 * digit keys 1 to 4 (also on the keypad). */
static void
al_pass_chooser_init (AlPassChooser *self)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->quiet = TRUE;
  for (guint i = 0; i < N_REASONS; i++)
    {
      GtkEventController *focus = gtk_event_controller_focus_new ();
      GtkWidget *button;

      self->names[i] = g_strdup_printf ("%u  %s", i + 1, _ (reasons[i].words));
      button = gtk_button_new_with_label (self->names[i]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      self->names[i], -1);
      gtk_widget_set_halign (gtk_button_get_child (GTK_BUTTON (button)), GTK_ALIGN_START);
      g_signal_connect (button, "clicked", G_CALLBACK (clicked), self);
      g_signal_connect (focus, "enter", G_CALLBACK (say_focused), self);
      gtk_widget_add_controller (button, focus);
      gtk_box_append (self->box, button);
      self->buttons[i] = button;
      for (guint kp = 0; kp < 2; kp++)
        gtk_shortcut_controller_add_shortcut (
          GTK_SHORTCUT_CONTROLLER (keys),
          gtk_shortcut_new_with_arguments (
            gtk_keyval_trigger_new ((kp ? GDK_KEY_KP_1 : GDK_KEY_1) + i, 0),
            gtk_callback_action_new (digit_pressed, NULL, NULL), "u", i));
    }
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
