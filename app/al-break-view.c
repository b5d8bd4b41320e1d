/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-break"

#include "config.h"

#include <glib/gi18n.h>

#include "al-break-view.h"

/* Long enough that a word being typed when the break starts is swallowed. */
#define KEY_GUARD_US (2 * G_USEC_PER_SEC)

struct _AlBreakView
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkLabel *title;
  GtkLabel *time;
  GtkLabel *body;
  GtkLabel *hint;

  AlBreakViewKind kind;
  gint64 shown_us;
  char *pause_keys;
  char *quit_keys;
};

G_DEFINE_FINAL_TYPE (AlBreakView, al_break_view, GTK_TYPE_WIDGET)

static const char *
suggestion (void)
{
  static const char *const tips[] = {
    N_("Stand up and stretch your legs."),
    N_("Drink a glass of water."),
    N_("Look out of the window, far away, for a while."),
    N_("Walk around for a moment and roll your shoulders."),
  };
  return _(tips[g_random_int_range (0, G_N_ELEMENTS (tips))]);
}

void
al_break_view_show (AlBreakView    *self,
                    AlBreakViewKind kind,
                    const char     *title,
                    const char     *body)
{
  g_autofree char *hint = NULL;

  g_return_if_fail (AL_IS_BREAK_VIEW (self));

  self->kind = kind;
  self->shown_us = g_get_monotonic_time ();
  gtk_label_set_text (self->title, title);
  gtk_label_set_text (self->body, body ? body : kind == AL_BREAK_VIEW_ENDED ? "" : suggestion ());
  gtk_widget_set_visible (GTK_WIDGET (self->time), kind != AL_BREAK_VIEW_ENDED);
  switch (kind)
    {
    case AL_BREAK_VIEW_BREAK:
      gtk_label_set_text (self->hint, _("Your work has been saved. The tasks come back "
                                        "by themselves after the break."));
      break;
    case AL_BREAK_VIEW_PAUSE:
      hint = g_strdup_printf (_("Press %s when you want to go on."),
                              self->pause_keys ? self->pause_keys : "");
      gtk_label_set_text (self->hint, hint);
      break;
    case AL_BREAK_VIEW_ENDED:
      hint = g_strdup_printf (_("You can close annolab with %s."),
                              self->quit_keys ? self->quit_keys : "");
      gtk_label_set_text (self->hint, hint);
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_text (self->body), -1);
}

void
al_break_view_set_remaining (AlBreakView *self,
                             gint64       ms)
{
  g_autofree char *text = NULL;
  gint64 s = MAX (ms, 0) / 1000 + (ms % 1000 > 0);

  g_return_if_fail (AL_IS_BREAK_VIEW (self));
  text = g_strdup_printf ("%" G_GINT64_FORMAT ":%02d", s / 60, (int) (s % 60));
  gtk_label_set_text (self->time, text);
}

gboolean
al_break_view_accepts_keys (AlBreakView *self)
{
  return g_get_monotonic_time () - self->shown_us >= KEY_GUARD_US;
}

static gboolean
key_pressed (GtkEventControllerKey *controller,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             AlBreakView           *self)
{
  /* Swallow everything during the guard; afterwards let the window's
   * shortcuts (pause, where am I, quit) through. */
  return !al_break_view_accepts_keys (self);
}

void
al_break_view_set_keys (AlBreakView *self,
                        const char  *pause_keys,
                        const char  *quit_keys)
{
  g_return_if_fail (AL_IS_BREAK_VIEW (self));
  g_free (self->pause_keys);
  self->pause_keys = g_strdup (pause_keys);
  g_free (self->quit_keys);
  self->quit_keys = g_strdup (quit_keys);
}

static void
al_break_view_dispose (GObject *object)
{
  AlBreakView *self = AL_BREAK_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), AL_TYPE_BREAK_VIEW);
  G_OBJECT_CLASS (al_break_view_parent_class)->dispose (object);
}

static void
al_break_view_finalize (GObject *object)
{
  AlBreakView *self = AL_BREAK_VIEW (object);

  g_free (self->pause_keys);
  g_free (self->quit_keys);
  G_OBJECT_CLASS (al_break_view_parent_class)->finalize (object);
}

static void
al_break_view_class_init (AlBreakViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = al_break_view_dispose;
  object_class->finalize = al_break_view_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "breakview");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/annolab/Workstation/al-break-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AlBreakView, box);
  gtk_widget_class_bind_template_child (widget_class, AlBreakView, title);
  gtk_widget_class_bind_template_child (widget_class, AlBreakView, time);
  gtk_widget_class_bind_template_child (widget_class, AlBreakView, body);
  gtk_widget_class_bind_template_child (widget_class, AlBreakView, hint);
  gtk_widget_class_bind_template_callback (widget_class, key_pressed);
}

static void
al_break_view_init (AlBreakView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

AlBreakView *
al_break_view_new (void)
{
  return g_object_new (AL_TYPE_BREAK_VIEW, NULL);
}
