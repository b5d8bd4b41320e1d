/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "al-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (AlApplication) app = NULL;

  al_application_init_i18n ();
  g_set_prgname ("annolab");
  g_set_application_name ("annolab");

  app = al_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
