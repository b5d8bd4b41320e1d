/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "al-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (AlApplication) app = NULL;

  /* Lab PCs are old: the cairo renderer without GL starts in half the
   * time and a third of the memory. GSK_RENDERER or GDK_DEBUG override. */
  if (g_getenv ("GSK_RENDERER") == NULL && g_getenv ("GDK_DEBUG") == NULL)
    {
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
      g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
    }

  al_application_init_i18n ();
  g_set_prgname ("annolab");
  g_set_application_name ("annolab");

  app = al_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
