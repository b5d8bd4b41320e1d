/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-server-private.h"

G_BEGIN_DECLS

/* What the coaches' dashboard reads beyond al-server-coach.c. */
MHD_Result_t al_coach_room_get            (AlRequest *req);

MHD_Result_t al_coach_signals             (AlRequest *req);
MHD_Result_t al_coach_participant_signals (AlRequest *req);

G_END_DECLS
