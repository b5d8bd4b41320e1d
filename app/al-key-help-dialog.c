/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "al-key-help-dialog.h"

struct _AlKeyHelpDialog
{
  GtkWindow parent_instance;

  GtkBox *box;
  GtkWidget *text_scroller;
  GtkTextView *text_view;
  GtkWidget *list_scroller;
  GtkListBox *list;

  guint n_items;
};

G_DEFINE_FINAL_TYPE (AlKeyHelpDialog, al_key_help_dialog, GTK_TYPE_WINDOW)

static void
fill_list (AlKeyHelpDialog *self, const char *help)
{
  g_auto (GStrv) lines = g_strsplit (help, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    {
      GtkWidget *label;
      if (*g_strstrip (lines[i]) == '\0')
        continue;
      label = gtk_label_new (lines[i]);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "body");
      gtk_list_box_append (self->list, label);
      self->n_items++;
    }
}

AlKeyHelpDialog *
al_key_help_dialog_new (GtkWindow *parent, const char *help, gboolean as_list)
{
  AlKeyHelpDialog *self = g_object_new (AL_TYPE_KEY_HELP_DIALOG, "transient-for", parent, NULL);

  gtk_widget_set_visible (self->text_scroller, !as_list);
  gtk_widget_set_visible (self->list_scroller, as_list);
  if (as_list)
    fill_list (self, help);
  else
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), help, -1);
  return self;
}

void
al_key_help_dialog_set_close_button (AlKeyHelpDialog *self, GtkWidget *button)
{
  gtk_box_append (self->box, button);
}

GtkListBox *
al_key_help_dialog_get_list (AlKeyHelpDialog *self)
{
  return self->list;
}

guint
al_key_help_dialog_get_n_items (AlKeyHelpDialog *self)
{
  return self->n_items;
}

static void
al_key_help_dialog_class_init (AlKeyHelpDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/annolab/Workstation/al-key-help-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AlKeyHelpDialog, box);
  gtk_widget_class_bind_template_child (widget_class, AlKeyHelpDialog, text_scroller);
  gtk_widget_class_bind_template_child (widget_class, AlKeyHelpDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, AlKeyHelpDialog, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, AlKeyHelpDialog, list);
}

static void
al_key_help_dialog_init (AlKeyHelpDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
