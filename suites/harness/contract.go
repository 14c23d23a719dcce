package harness

import "github.com/ndis-chimney/conformance/suites/rules"

// ContractRules are the rules of one operation's completion contract, which the harness checks
// on every call: the handler returns and the target completes later, exactly once, with the
// same tree, having written a Status into every block, and leaves the tree alone afterwards.
type ContractRules struct {
	Asynchronous           *rules.Rule // the handler returns; the completion comes after it
	ExactlyOnce            *rules.Rule // one completion, neither none nor two
	SameTree               *rules.Rule // the completion passes back the pointer handed over
	StatusInEveryBlock     *rules.Rule // every block, placeholders included, gets a Status
	NoWriteAfterCompletion *rules.Rule // the tree is not written once handed back
	AllowedStatuses        *rules.Rule // every Status is one the operation may write
}

// SendDataRules are the ledger's rules for NET_BUFFER_LISTs of outstanding send data.
type SendDataRules struct {
	CompletesOnlyHandedOver *rules.Rule // only lists the host handed over come back
	ReturnedOnce            *rules.Rule // each comes back once: send-completed or handed back
	FailedKeepsStatus       *rules.Rule // lists of a failed offload keep the Status the host left
	FailedNotCompleted      *rules.Rule // lists of a failed offload are never send-completed
}

var contracts = map[Op]ContractRules{
	Initiate: {
		Asynchronous:           rules.InitiateHandlerReturnsBeforeCompleting,
		ExactlyOnce:            rules.InitiateCompletedExactlyOnce,
		SameTree:               rules.InitiateCompletionSamePointer,
		StatusInEveryBlock:     rules.InitiateStatusInEveryBlock,
		NoWriteAfterCompletion: rules.InitiateTreeUntouchedAfterCompletion,
		AllowedStatuses:        rules.InitiateStatusFromInitiateList,
	},
	Query: {
		Asynchronous:           rules.QueryHandlerReturnsBeforeCompletion,
		ExactlyOnce:            rules.QueryCompletesExactlyOnce,
		SameTree:               rules.QueryCompletionSamePointer,
		StatusInEveryBlock:     rules.QueryStatusInEveryBlock,
		NoWriteAfterCompletion: rules.TargetLeavesQueryTreeAfterCompletion,
		AllowedStatuses:        rules.QueryStatusSuccessOrFailure,
	},
	// No page says an invalidate tree is out of bounds after its completion, so the harness
	// does not check writes after that completion.
	Invalidate: {
		Asynchronous:       rules.InvalidateHandlerReturnsBeforeCompletion,
		ExactlyOnce:        rules.InvalidateCompletesExactlyOnce,
		SameTree:           rules.InvalidateCompletionSamePointer,
		StatusInEveryBlock: rules.InvalidateStatusInEveryBlock,
		AllowedStatuses:    rules.InvalidateStatusSuccessOrFailure,
	},
	Update: {
		Asynchronous:           rules.UpdateHandlerReturnsBeforeCompletion,
		ExactlyOnce:            rules.UpdateCompletesExactlyOnce,
		SameTree:               rules.UpdateCompletionSamePointer,
		StatusInEveryBlock:     rules.UpdateStatusInEveryBlock,
		NoWriteAfterCompletion: rules.TargetLeavesUpdateTreeAfterCompletion,
		AllowedStatuses:        rules.UpdateStatusSuccessOrFailure,
	},
	Terminate: {
		Asynchronous:           rules.TerminateHandlerReturnsBeforeCompletion,
		ExactlyOnce:            rules.TerminateCompletesExactlyOnce,
		SameTree:               rules.TerminateCompletionSamePointer,
		StatusInEveryBlock:     rules.TerminateStatusInEveryBlock,
		NoWriteAfterCompletion: rules.TargetLeavesTerminateTreeAfterCompletion,
		AllowedStatuses:        rules.TerminateStatusSuccessOrFailure,
	},
}

var sendRules = SendDataRules{
	CompletesOnlyHandedOver: rules.SendCompleteOnlyOwnedNBLs,
	ReturnedOnce:            rules.SendDataEachNBLReturnedOnce,
	FailedKeepsStatus:       rules.FailedInitiateLeavesNBLStatus,
	FailedNotCompleted:      rules.FailedInitiateNoSendComplete,
}

// contractOf returns the completion-contract rules of op.
func contractOf(op Op) ContractRules { return contracts[op] }

// Contract returns the completion-contract rules of op, for specs that check them directly.
func Contract(op Op) ContractRules { return contracts[op] }
