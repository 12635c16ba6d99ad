//! Safety reports.

use serde::{Deserialize, Serialize};

use crate::id::{MessageId, ServerId, UserId};
use crate::wire::{string_enum, tagged_enum};

/// What is reported, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum ReportedContent {
    /// A message.
    Message(ReportedMessage),
    /// A server.
    Server(ReportedServer),
    /// A user.
    User(ReportedUser),
    /// A kind this version does not know, kept as sent.
    #[serde(untagged)]
    Unknown(serde_json::Value),
}

tagged_enum!(ReportedContent, "type", {
    "Message" => Message(ReportedMessage),
    "Server" => Server(ReportedServer),
    "User" => User(ReportedUser),
});

/// A reported message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedMessage {
    /// The message.
    pub id: MessageId,
    /// Why.
    pub report_reason: ContentReportReason,
}

/// A reported server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedServer {
    /// The server.
    pub id: ServerId,
    /// Why.
    pub report_reason: ContentReportReason,
}

/// A reported user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedUser {
    /// The user.
    pub id: UserId,
    /// Why.
    pub report_reason: UserReportReason,
    /// A message giving context (always written, may be `null`).
    #[serde(default)]
    pub message_id: Option<MessageId>,
}

string_enum! {
    /// Why a message or server is reported.
    pub enum ContentReportReason {
        /// No reason given.
        NoneSpecified = "NoneSpecified",
        /// Illegal content.
        Illegal = "Illegal",
        /// Illegal goods.
        IllegalGoods = "IllegalGoods",
        /// Extortion.
        IllegalExtortion = "IllegalExtortion",
        /// Illegal pornography.
        IllegalPornography = "IllegalPornography",
        /// Hacking.
        IllegalHacking = "IllegalHacking",
        /// Extreme violence.
        ExtremeViolence = "ExtremeViolence",
        /// Promotes harm.
        PromotesHarm = "PromotesHarm",
        /// Unsolicited spam.
        UnsolicitedSpam = "UnsolicitedSpam",
        /// A raid.
        Raid = "Raid",
        /// Spam or platform abuse.
        SpamAbuse = "SpamAbuse",
        /// Scams or fraud.
        ScamsFraud = "ScamsFraud",
        /// Malware.
        Malware = "Malware",
        /// Harassment.
        Harassment = "Harassment",
    }
}

string_enum! {
    /// Why a user is reported.
    pub enum UserReportReason {
        /// No reason given.
        NoneSpecified = "NoneSpecified",
        /// Unsolicited spam.
        UnsolicitedSpam = "UnsolicitedSpam",
        /// Spam or platform abuse.
        SpamAbuse = "SpamAbuse",
        /// Inappropriate profile.
        InappropriateProfile = "InappropriateProfile",
        /// Impersonation.
        Impersonation = "Impersonation",
        /// Ban evasion.
        BanEvasion = "BanEvasion",
        /// Under age.
        Underage = "Underage",
    }
}

/// Body of `POST /safety/report` (`DataReportContent`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportBody {
    /// What is reported.
    pub content: ReportedContent,
    /// Context (0..=1000 characters).
    #[serde(default)]
    pub additional_context: String,
}
