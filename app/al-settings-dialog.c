/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-settings"

#include "config.h"

#include <glib/gi18n.h>

#include "al-settings-dialog.h"

/* What voice mode says for a control: its name, and for a radio button the
 * heading of its group and its place in it. */
typedef struct
{
  GtkWidget *widget;
  char *name;
  char *group;
  guint index;
} Item;

struct _AlSettingsDialog
{
  GtkWindow parent_instance;

  GtkBox *outer;
  GtkSpinButton *text_scale;
  GtkLabel *contrast_heading;
  GtkBox *contrast;
  GtkBox *language;
  GtkCheckButton *voice;
  GtkSpinButton *speech_rate;
  GtkBox *echo;
  GtkBox *speech_output;
  GtkBox *verbosity;
  GtkEntry *worker_name;

  GArray *items; /* of Item */
  AlContrast contrast_value;
  guint language_index;
  AlEcho echo_value;
  guint speech_output_value;
  guint verbosity_value;
};

G_DEFINE_FINAL_TYPE (AlSettingsDialog, al_settings_dialog, GTK_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_TEXT_SCALE,
  PROP_CONTRAST,
  PROP_LANGUAGE,
  PROP_VOICE,
  PROP_SPEECH_RATE,
  PROP_ECHO,
  PROP_SPEECH_OUTPUT,
  PROP_VERBOSITY,
  PROP_WORKER_NAME,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum
{
  ANNOUNCE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The radio groups in the template, in the order of their values. */
static const AlContrast contrast_order[] = { AL_CONTRAST_SYSTEM, AL_CONTRAST_ON, AL_CONTRAST_OFF };
static const guint contrast_index[]
    = { [AL_CONTRAST_SYSTEM] = 0, [AL_CONTRAST_ON] = 1, [AL_CONTRAST_OFF] = 2 };

static Item *
item_of (AlSettingsDialog *self, GtkWidget *widget)
{
  for (guint i = 0; i < self->items->len; i++)
    if (g_array_index (self->items, Item, i).widget == widget)
      return &g_array_index (self->items, Item, i);
  return NULL;
}

static void
add_item (AlSettingsDialog *self, GtkWidget *widget, const char *name, const char *group, guint index)
{
  Item item = { widget, g_strdup (name), g_strdup (group), index };

  g_array_append_val (self->items, item);
}

static void
clear_item (gpointer data)
{
  Item *item = data;

  g_free (item->name);
  g_free (item->group);
}

static char *
describe (AlSettingsDialog *self, GtkWidget *widget)
{
  Item *item = item_of (self, widget);

  if (item == NULL)
    return NULL;
  if (GTK_IS_EDITABLE (widget) && !GTK_IS_SPIN_BUTTON (widget))
    return g_strdup_printf (_ ("%s: %s"), item->name, gtk_editable_get_text (GTK_EDITABLE (widget)));
  if (GTK_IS_SPIN_BUTTON (widget))
    return g_strdup_printf (_ ("%s: %d"), item->name,
                            gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (widget)));
  if (GTK_IS_CHECK_BUTTON (widget))
    {
      gboolean active = gtk_check_button_get_active (GTK_CHECK_BUTTON (widget));
      if (item->group)
        return g_strdup_printf (active ? _ ("%s: %s, chosen") : _ ("%s: %s, not chosen"),
                                item->group, item->name);
      return g_strdup_printf (active ? _ ("%s: on") : _ ("%s: off"), item->name);
    }
  return g_strdup (item->name);
}

static void
announce (AlSettingsDialog *self, const char *text)
{
  if (text)
    g_signal_emit (self, signals[ANNOUNCE], 0, text);
}

/* Voice mode has no screen reader to read the focus: say it. */
static void
focus_moved (AlSettingsDialog *self)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));
  g_autofree char *text = NULL;

  for (; focus && text == NULL; focus = gtk_widget_get_parent (focus))
    text = describe (self, focus);
  announce (self, text);
}

static void
say_state (AlSettingsDialog *self, GtkWidget *widget)
{
  Item *item = item_of (self, widget);
  g_autofree char *text = NULL;

  /* A radio that is switched off speaks through the one switched on. */
  if (GTK_IS_CHECK_BUTTON (widget) && item && item->group
      && !gtk_check_button_get_active (GTK_CHECK_BUTTON (widget)))
    return;
  if (!gtk_widget_has_focus (widget) && !(GTK_IS_SPIN_BUTTON (widget)))
    return;
  text = describe (self, widget);
  announce (self, text);
}

static void
radio_toggled (GtkCheckButton *radio, AlSettingsDialog *self)
{
  Item *item = item_of (self, GTK_WIDGET (radio));
  GtkWidget *group = gtk_widget_get_parent (GTK_WIDGET (radio));

  if (item && gtk_check_button_get_active (radio))
    {
      if (group == GTK_WIDGET (self->contrast))
        {
          self->contrast_value = contrast_order[item->index];
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONTRAST]);
        }
      else if (group == GTK_WIDGET (self->language))
        {
          self->language_index = item->index;
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LANGUAGE]);
        }
      else if (group == GTK_WIDGET (self->echo))
        {
          self->echo_value = item->index;
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ECHO]);
        }
      else if (group == GTK_WIDGET (self->speech_output))
        {
          self->speech_output_value = item->index;
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SPEECH_OUTPUT]);
        }
      else if (group == GTK_WIDGET (self->verbosity))
        {
          self->verbosity_value = item->index;
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_VERBOSITY]);
        }
    }
  say_state (self, GTK_WIDGET (radio));
}

static void
voice_toggled (AlSettingsDialog *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_VOICE]);
  say_state (self, GTK_WIDGET (self->voice));
}

static void
number_changed (GtkSpinButton *spin, AlSettingsDialog *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[spin == self->text_scale ? PROP_TEXT_SCALE
                                                                             : PROP_SPEECH_RATE]);
  say_state (self, GTK_WIDGET (spin));
}

static void
worker_name_changed (AlSettingsDialog *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_WORKER_NAME]);
}

/* The heading of a group of radio buttons is its first child. */
static void
add_choices (AlSettingsDialog *self, GtkBox *group)
{
  GtkWidget *heading = gtk_widget_get_first_child (GTK_WIDGET (group));
  const char *name = gtk_label_get_label (GTK_LABEL (heading));
  guint index = 0;

  for (GtkWidget *child = gtk_widget_get_next_sibling (heading); child;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autofree char *text = g_strdup (gtk_check_button_get_label (GTK_CHECK_BUTTON (child)));
      /* A wrapping label: long choices (in Dutch, at twice the text size)
       * take more lines instead of widening the dialog past the screen. */
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_check_button_set_child (GTK_CHECK_BUTTON (child), label);
      add_item (self, child, text, name, index++);
      g_signal_connect (child, "toggled", G_CALLBACK (radio_toggled), self);
    }
}

static void
set_choice (GtkBox *group, guint index)
{
  GtkWidget *child = gtk_widget_get_next_sibling (gtk_widget_get_first_child (GTK_WIDGET (group)));

  for (guint i = 0; child; child = gtk_widget_get_next_sibling (child), i++)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (child), i == index);
}

/* The names voice mode says for a number or a field: the heading before it. */
static const char *
heading_before (GtkWidget *widget)
{
  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_prev_sibling (widget)));
}

AlSettingsDialog *
al_settings_dialog_new (GtkWindow *parent, const AlSettings *settings, const char *language)
{
  AlSettingsDialog *self = g_object_new (AL_TYPE_SETTINGS_DIALOG, "transient-for", parent, NULL);

  /* The values are set before anyone listens, so loading them saves nothing. */
  gtk_spin_button_set_value (self->text_scale, settings->text_scale);
  set_choice (self->contrast, contrast_index[settings->contrast]);
  set_choice (self->language, g_strcmp0 (language, "en") == 0);
  gtk_check_button_set_active (self->voice, settings->voice);
  gtk_spin_button_set_value (self->speech_rate, settings->speech_rate);
  set_choice (self->echo, settings->echo);
  set_choice (self->speech_output, settings->speech_output);
  set_choice (self->verbosity, settings->verbosity);
  gtk_editable_set_text (GTK_EDITABLE (self->worker_name), settings->name ? settings->name : "");
  self->contrast_value = settings->contrast;
  self->language_index = g_strcmp0 (language, "en") == 0;
  self->echo_value = settings->echo;
  self->speech_output_value = settings->speech_output;
  self->verbosity_value = settings->verbosity;
  g_signal_connect_swapped (self, "notify::focus-widget", G_CALLBACK (focus_moved), self);
  return self;
}

void
al_settings_dialog_set_contrast_heading (AlSettingsDialog *self, const char *heading)
{
  gtk_label_set_label (self->contrast_heading, heading);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->contrast), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  heading, -1);
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = &g_array_index (self->items, Item, i);
      if (gtk_widget_get_parent (item->widget) == GTK_WIDGET (self->contrast))
        {
          g_free (item->group);
          item->group = g_strdup (heading);
        }
    }
}

void
al_settings_dialog_set_close_button (AlSettingsDialog *self, GtkWidget *button)
{
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_margin_end (button, 18);
  gtk_widget_set_margin_bottom (button, 18);
  add_item (self, button, gtk_button_get_label (GTK_BUTTON (button)), NULL, 0);
  gtk_box_append (self->outer, button);
}

static void
al_settings_dialog_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AlSettingsDialog *self = AL_SETTINGS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_TEXT_SCALE:
      g_value_set_int (value, gtk_spin_button_get_value_as_int (self->text_scale));
      break;
    case PROP_CONTRAST:
      g_value_set_uint (value, self->contrast_value);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language_index == 0 ? "nl" : "en");
      break;
    case PROP_VOICE:
      g_value_set_boolean (value, gtk_check_button_get_active (self->voice));
      break;
    case PROP_SPEECH_RATE:
      g_value_set_int (value, gtk_spin_button_get_value_as_int (self->speech_rate));
      break;
    case PROP_ECHO:
      g_value_set_uint (value, self->echo_value);
      break;
    case PROP_SPEECH_OUTPUT:
      g_value_set_uint (value, self->speech_output_value);
      break;
    case PROP_VERBOSITY:
      g_value_set_uint (value, self->verbosity_value);
      break;
    case PROP_WORKER_NAME:
      g_value_set_string (value, gtk_editable_get_text (GTK_EDITABLE (self->worker_name)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
al_settings_dialog_finalize (GObject *object)
{
  AlSettingsDialog *self = AL_SETTINGS_DIALOG (object);

  g_array_unref (self->items);
  G_OBJECT_CLASS (al_settings_dialog_parent_class)->finalize (object);
}

static void
al_settings_dialog_class_init (AlSettingsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = al_settings_dialog_get_property;
  object_class->finalize = al_settings_dialog_finalize;

  props[PROP_TEXT_SCALE] = g_param_spec_int ("text-scale", NULL, NULL, 100, 200, 100, flags);
  props[PROP_CONTRAST] = g_param_spec_uint ("contrast", NULL, NULL, 0, AL_CONTRAST_OFF, 0, flags);
  props[PROP_LANGUAGE] = g_param_spec_string ("language", NULL, NULL, NULL, flags);
  props[PROP_VOICE] = g_param_spec_boolean ("voice", NULL, NULL, FALSE, flags);
  props[PROP_SPEECH_RATE] = g_param_spec_int ("speech-rate", NULL, NULL, 80, 450, 175, flags);
  props[PROP_ECHO] = g_param_spec_uint ("echo", NULL, NULL, 0, AL_ECHO_CHARACTERS, 0, flags);
  props[PROP_SPEECH_OUTPUT] = g_param_spec_uint ("speech-output", NULL, NULL, 0, 2, 0, flags);
  props[PROP_VERBOSITY] = g_param_spec_uint ("verbosity", NULL, NULL, 0, 1, 0, flags);
  props[PROP_WORKER_NAME] = g_param_spec_string ("worker-name", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[ANNOUNCE] = g_signal_new ("announce", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/annolab/Workstation/al-settings-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AlSettingsDialog, outer);
  gtk_widget_class_bind_template_child (widget_class, AlSettingsDialog, text_scale);
  gtk_widget_class_bind_template_child (widget_class, AlSettingsDialog, contrast_heading);
  gtk_widget_class_bind_template_child (widget_class, AlSettingsDialog, contrast);
  gtk_widget_class_bind_template_child (widget_class, AlSettingsDialog, language);
  gtk_widget_class_bind_template_child (widget_class, AlSettingsDialog, voice);
  gtk_widget_class_bind_template_child (widget_class, AlSettingsDialog, speech_rate);
  gtk_widget_class_bind_template_child (widget_class, AlSettingsDialog, echo);
  gtk_widget_class_bind_template_child (widget_class, AlSettingsDialog, speech_output);
  gtk_widget_class_bind_template_child (widget_class, AlSettingsDialog, verbosity);
  gtk_widget_class_bind_template_child (widget_class, AlSettingsDialog, worker_name);
}

static void
al_settings_dialog_init (AlSettingsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (self->items, clear_item);

  add_item (self, GTK_WIDGET (self->text_scale), heading_before (GTK_WIDGET (self->text_scale)),
            NULL, 0);
  add_choices (self, self->contrast);
  add_choices (self, self->language);
  add_item (self, GTK_WIDGET (self->voice), gtk_check_button_get_label (self->voice), NULL, 0);
  add_item (self, GTK_WIDGET (self->speech_rate), heading_before (GTK_WIDGET (self->speech_rate)),
            NULL, 0);
  add_choices (self, self->echo);
  add_choices (self, self->speech_output);
  add_choices (self, self->verbosity);
  add_item (self, GTK_WIDGET (self->worker_name), heading_before (GTK_WIDGET (self->worker_name)),
            NULL, 0);

  g_signal_connect (self->text_scale, "value-changed", G_CALLBACK (number_changed), self);
  g_signal_connect (self->speech_rate, "value-changed", G_CALLBACK (number_changed), self);
  g_signal_connect_swapped (self->voice, "toggled", G_CALLBACK (voice_toggled), self);
  g_signal_connect_swapped (self->worker_name, "changed", G_CALLBACK (worker_name_changed), self);
}
