/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-waveform"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "al-waveform.h"

struct _AlWaveform
{
  GtkWidget parent_instance;

  GArray *peaks;     /* min, max per bucket */
  double duration;
  double position;
  double heard;      /* furthest point played */
  double gain;       /* quiet recordings are drawn as tall as loud ones */
};

G_DEFINE_FINAL_TYPE (AlWaveform, al_waveform, GTK_TYPE_WIDGET)

static void
describe (AlWaveform *self)
{
  g_autofree char *text = g_strdup_printf (_("Position %.1f of %.1f seconds"), self->position,
                                           self->duration);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static void
al_waveform_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  AlWaveform *self = AL_WAVEFORM (widget);
  double w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  GdkRGBA heard, wave;
  guint n;

  /* Colours from the style sheet (the background is drawn by GTK), so a
   * high-contrast style reaches the waveform too: what was heard in the
   * full colour, the rest faint, the play head in the full colour. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &heard);
  wave = heard;
  wave.alpha *= 0.45;
  if (self->peaks == NULL || self->duration <= 0)
    return;
  n = self->peaks->len / 2;
  for (guint i = 0; i < n; i++)
    {
      float lo = g_array_index (self->peaks, float, 2 * i);
      float hi = g_array_index (self->peaks, float, 2 * i + 1);
      double x = w * i / n, t = self->duration * i / n;
      double top = h / 2 - hi * self->gain * h / 2, bottom = h / 2 - lo * self->gain * h / 2;
      gtk_snapshot_append_color (snapshot, t <= self->heard ? &heard : &wave,
                                 &GRAPHENE_RECT_INIT (x, top, MAX (1, w / n), MAX (1, bottom - top)));
    }
  gtk_snapshot_append_color (snapshot, &heard,
                             &GRAPHENE_RECT_INIT (w * self->position / self->duration - 1.5, 0, 3,
                                                  h));
}

static void
al_waveform_measure (GtkWidget     *widget,
                     GtkOrientation orientation,
                     int            for_size,
                     int           *minimum,
                     int           *natural,
                     int           *min_baseline,
                     int           *nat_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 100 : 64;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 600 : 80;
}

static void
al_waveform_finalize (GObject *object)
{
  AlWaveform *self = AL_WAVEFORM (object);
  g_clear_pointer (&self->peaks, g_array_unref);
  G_OBJECT_CLASS (al_waveform_parent_class)->finalize (object);
}

static void
al_waveform_class_init (AlWaveformClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = al_waveform_finalize;
  widget_class->snapshot = al_waveform_snapshot;
  widget_class->measure = al_waveform_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "waveform");
}

static void
al_waveform_init (AlWaveform *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Waveform of the segment"), -1);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
}

AlWaveform *
al_waveform_new (void)
{
  return g_object_new (AL_TYPE_WAVEFORM, NULL);
}

void
al_waveform_set_peaks (AlWaveform *self,
                       GArray     *peaks,
                       double      duration)
{
  g_clear_pointer (&self->peaks, g_array_unref);
  self->peaks = peaks ? g_array_ref (peaks) : NULL;
  self->duration = duration;
  self->gain = 1;
  if (peaks)
    {
      float top = 0;
      for (guint i = 0; i < peaks->len; i++)
        top = MAX (top, fabsf (g_array_index (peaks, float, i)));
      /* Up to 8×, so silence stays flat instead of turning into noise. */
      self->gain = top > 0 ? MIN (0.95 / top, 8.0) : 1;
    }
  self->position = self->heard = 0;
  describe (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
al_waveform_set_position (AlWaveform *self,
                          double      seconds)
{
  self->position = seconds;
  self->heard = MAX (self->heard, seconds);
  describe (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
