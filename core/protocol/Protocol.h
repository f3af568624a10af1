#pragma once
// Everything of the wire protocol library in one include.

#include "Builders.h"
#include "Codes.h"
#include "FieldValidators.h"
#include "Limits.h"
#include "Message.h"
#include "MessageType.h"
