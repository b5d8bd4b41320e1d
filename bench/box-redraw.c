/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "al-box-canvas.h"

/* Redraw time of the box canvas: a photo scaled up to 4000 × 3000 with N
 * boxes, the canvas 1000 × 700 in a real window. Each frame is the canvas's
 * own snapshot plus rendering that node to a texture with the window's
 * renderer (run with GSK_RENDERER=cairo for the lab PCs' software path).
 * Prints tab-separated figures for bench/boxes.sh:
 *   figure  value  unit  reference-name  reference-value
 * Usage: box-redraw PHOTO [BOXES] [FRAMES] */

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void
measure (AlBoxCanvas *canvas,
         GskRenderer *renderer,
         int frames,
         double *first,
         double *median,
         double *p95)
{
  GtkWidget *widget = GTK_WIDGET (canvas);
  graphene_rect_t viewport;
  double *ms = g_new (double, frames);

  graphene_rect_init (&viewport, 0, 0, gtk_widget_get_width (widget),
                      gtk_widget_get_height (widget));
  /* The first frame of a photo also makes its smaller copies. */
  for (int i = -1; i < frames; i++)
    {
      gint64 start = g_get_monotonic_time ();
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr (GskRenderNode) node = NULL;
      g_autoptr (GdkTexture) texture = NULL;

      GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      texture = gsk_renderer_render_texture (renderer, node, &viewport);
      if (i >= 0)
        ms[i] = (g_get_monotonic_time () - start) / 1000.0;
      else
        *first = (g_get_monotonic_time () - start) / 1000.0;
    }
  qsort (ms, frames, sizeof (double), cmp_double);
  *median = ms[frames / 2];
  *p95 = ms[(int)(0.95 * (frames - 1))];
  g_free (ms);
}

int
main (int argc, char *argv[])
{
  const char *const labels[] = { "person", "bicycle", "car", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkPixbuf) photo = NULL;
  g_autoptr (GdkPixbuf) big = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  int n_boxes = argc > 2 ? atoi (argv[2]) : 100;
  int frames = argc > 3 ? atoi (argv[3]) : 200;
  GtkWidget *window;
  AlBoxCanvas *canvas;
  AlBoxModel *model;
  GskRenderer *renderer;
  GRand *rand = g_rand_new_with_seed (7);
  double first0, median0, p950, first, median, p95;

  if (argc < 2)
    {
      g_printerr ("usage: box-redraw PHOTO [BOXES] [FRAMES]\n");
      return 2;
    }
  gtk_init ();
  photo = gdk_pixbuf_new_from_file (argv[1], &error);
  if (photo == NULL)
    {
      g_printerr ("box-redraw: %s\n", error->message);
      return 1;
    }
  big = gdk_pixbuf_scale_simple (photo, 4000, 3000, GDK_INTERP_BILINEAR);
  texture = gdk_texture_new_for_pixbuf (big);

  window = gtk_window_new ();
  canvas = al_box_canvas_new ();
  gtk_widget_set_size_request (GTK_WIDGET (canvas), 1000, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (canvas));
  gtk_window_present (GTK_WINDOW (window));
  al_box_canvas_set_image (canvas, texture, labels);
  while (gtk_widget_get_width (GTK_WIDGET (canvas)) < 1000 || !gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  /* The window has drawn the photo already: show it anew, as the next task
   * does, so the first frame measured is a new photo's. */
  al_box_canvas_set_image (canvas, texture, labels);

  measure (canvas, renderer, frames, &first0, &median0, &p950);

  model = al_box_canvas_get_model (canvas);
  for (int i = 0; i < n_boxes; i++)
    {
      AlBox b = { g_rand_double_range (rand, 0, 3800), g_rand_double_range (rand, 0, 2850),
                  g_rand_double_range (rand, 40, 600), g_rand_double_range (rand, 40, 450),
                  g_rand_int_range (rand, -1, 3) };
      al_box_model_add (model, &b);
    }
  al_box_model_select (model, n_boxes / 2);
  al_box_canvas_refresh (canvas);
  measure (canvas, renderer, frames, &first, &median, &p95);

  g_print ("boxes: redraw, %d boxes on 4000x3000, median of %d (%s)\t%.3f\tms\tno boxes\t%.3f\n",
           n_boxes, frames, G_OBJECT_TYPE_NAME (renderer), median, median0);
  g_print ("boxes: redraw, %d boxes on 4000x3000, p95\t%.3f\tms\tno boxes\t%.3f\n", n_boxes, p95,
           p950);
  g_print ("boxes: first frame of a new 4000x3000 photo\t%.3f\tms\t\t\n", first0);
  g_rand_free (rand);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
