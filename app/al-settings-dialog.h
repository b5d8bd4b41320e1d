/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "al-settings.h"

G_BEGIN_DECLS

#define AL_TYPE_SETTINGS_DIALOG (al_settings_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AlSettingsDialog, al_settings_dialog, AL, SETTINGS_DIALOG, GtkWindow)

/* The settings screen. Each setting is a read-only property that notifies
 * as soon as it changes; "announce" carries what voice mode says about the
 * focus and the values. */
AlSettingsDialog *al_settings_dialog_new              (GtkWindow        *parent,
                                                       const AlSettings *settings,
                                                       const char       *language);
/* The high contrast heading names its key, which comes from the key map. */
void              al_settings_dialog_set_contrast_heading (AlSettingsDialog *self,
                                                           const char       *heading);
/* The close button comes from the window, with its key map label. */
void              al_settings_dialog_set_close_button (AlSettingsDialog *self,
                                                       GtkWidget        *button);

G_END_DECLS
